"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { buttonClasses } from "./button-styles";

export function SignOutButton({ className = "" }: { className?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/login" });
      }}
      className={buttonClasses("secondary", "sm", className)}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
