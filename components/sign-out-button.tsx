"use client";

import { useFormStatus } from "react-dom";
import { signOutAction } from "@/app/(dashboard)/sign-out-action";
import { buttonClasses } from "./button-styles";

/** A form, not a click handler: a click before the page's scripts have run still signs out. */
export function SignOutButton({ className = "" }: { className?: string }) {
  return (
    <form action={signOutAction}>
      <SignOutSubmit className={className} />
    </form>
  );
}

function SignOutSubmit({ className }: { className: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={buttonClasses("secondary", "sm", className)}>
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
