"use client";

import { useActionState } from "react";
import { Field } from "@/components/field";
import { initialFormState } from "@/lib/form-state";
import { createFirstAdmin } from "./actions";

export function SetupForm() {
  const [state, action, pending] = useActionState(createFirstAdmin, initialFormState);
  return (
    <form action={action} className="space-y-2">
      <Field id="code" name="code" label="Setup code" autoComplete="off" placeholder="XXXX-XXXX-XXXX" required error={state.fields.code} />
      <Field id="email" name="email" label="Your email" type="email" autoComplete="username" required error={state.fields.email} />
      <Field
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters."
        required
        error={state.fields.password}
      />
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-red-600">
        {!state.ok && state.message && Object.keys(state.fields).length === 0 ? state.message : ""}
      </p>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Creating…" : "Create admin account"}
      </button>
    </form>
  );
}
