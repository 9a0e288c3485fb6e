"use client";

import { useState } from "react";
import { signOutToLogin } from "./auth-requests";
import { buttonClasses } from "./button-styles";

export function SignOutButton({ className = "" }: { className?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOutToLogin();
      }}
      className={buttonClasses("secondary", "sm", className)}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
