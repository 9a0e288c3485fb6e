"use client";

import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-rules";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { lazyZodResolver, useWarmResolver } from "@/components/lazy-resolver";
import { ScriptedForm } from "@/components/scripted-form";
import { createFirstAdmin } from "./actions";

import type { Setup } from "./setup-form-schema";

const resolver = lazyZodResolver<Setup, typeof import("./setup-form-schema")>(
  () => import("./setup-form-schema"),
  (m) => m.setupSchema,
);

export function SetupForm() {
  const [banner, setBanner] = useState<string | null>(null);
  useWarmResolver(resolver);
  const { register, handleSubmit, formState, setError } = useForm<Setup>({ resolver, mode: "onTouched" });

  async function onSubmit(values: Setup) {
    setBanner(null);
    // On success the action redirects to /login; it only returns when something is wrong.
    const result = await createFirstAdmin(values);
    if (result) setBanner(applyServerErrors(setError, result, ["code", "email", "password"]));
  }

  return (
    <ScriptedForm onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-1">
      <Field
        id="code"
        label="Setup code"
        required
        autoComplete="off"
        autoFocus
        spellCheck={false}
        placeholder="XXXX-XXXX-XXXX"
        className="font-mono tracking-wider uppercase"
        hint={
          <>
            Printed in the server log at start-up, next to <q>one-time setup code</q>.
          </>
        }
        error={formState.errors.code?.message}
        {...register("code")}
      />
      <Field
        id="email"
        label="Your email"
        type="email"
        required
        autoComplete="username"
        error={formState.errors.email?.message}
        {...register("email")}
      />
      <Field
        id="password"
        label="Password"
        type="password"
        required
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase works well.`}
        error={formState.errors.password?.message}
        {...register("password")}
      />
      <div className="pb-3">
        <FormBanner message={banner} />
      </div>
      <Button type="submit" pending={formState.isSubmitting} className="w-full">
        {formState.isSubmitting ? "Creating your account…" : "Create admin account"}
      </Button>
    </ScriptedForm>
  );
}
