"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { signInWithPassword } from "./sign-in-request";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";

type Errors = { email?: string; password?: string };

/**
 * Two fields checked by hand rather than with a form library and a schema: the sign-in page is
 * the first a browser loads, and those would be most of its JavaScript (the server checks again).
 */
function check(email: string, password: string): Errors {
  const errors: Errors = {};
  if (email === "") errors.email = "Enter your email";
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = "Enter an email address";
  if (password === "") errors.password = "Enter your password";
  return errors;
}

/** `notice`: a confirmation to show until something goes wrong (then only the error shows). */
export function LoginForm({ notice = null }: { notice?: string | null }) {
  const router = useRouter();
  const [failure, setFailure] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const focus = (name: "email" | "password") => (formRef.current?.elements.namedItem(name) as HTMLInputElement | null)?.focus();

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const found = check(email, password);
    setErrors(found);
    if (found.email || found.password) {
      focus(found.email ? "email" : "password");
      return;
    }
    setFailure(null);
    setSubmitting(true);
    const result = await signInWithPassword(email, password);
    if (result.status === 429) {
      setSubmitting(false);
      setFailure("Too many failed sign-in attempts. Wait a few minutes, then try again.");
      return;
    }
    if (!result.ok) {
      setSubmitting(false);
      setFailure("That email and password do not match an active account.");
      focus("password");
      return;
    }
    router.replace("/");
    router.refresh();
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-1">
      <Field
        id="email"
        name="email"
        label="Email"
        type="email"
        optionalLabel={false}
        autoComplete="username"
        autoFocus
        error={errors.email}
      />
      <Field
        id="password"
        name="password"
        label="Password"
        type="password"
        optionalLabel={false}
        autoComplete="current-password"
        error={errors.password}
      />
      <div className="pb-3">
        {/* One banner, one live region: an error replaces the notice. */}
        <FormBanner tone={failure ? "error" : "success"} message={failure ?? notice} />
      </div>
      <Button type="submit" pending={submitting} className="w-full">
        {submitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
