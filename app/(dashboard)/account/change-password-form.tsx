"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { lazyZodResolver, useWarmResolver } from "@/components/lazy-resolver";
import { ScriptedForm } from "@/components/scripted-form";
import { useToast } from "@/components/toast-provider";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-rules";
import { changePasswordAction } from "./actions";
import type { PasswordFormValues } from "./password-form-schema";

const resolver = lazyZodResolver<PasswordFormValues, typeof import("./password-form-schema")>(
  () => import("./password-form-schema"),
  (m) => m.passwordFormSchema,
);

/** Changes the signed-in user's password; the current one is required, other sessions are signed out. */
export function ChangePasswordForm() {
  const toast = useToast();
  const [banner, setBanner] = useState<string | null>(null);
  useWarmResolver(resolver);
  const { register, handleSubmit, formState, setError, reset } = useForm<PasswordFormValues>({
    resolver,
    mode: "onTouched",
    defaultValues: { currentPassword: "", newPassword: "", repeatPassword: "" },
  });

  async function onSubmit(values: PasswordFormValues) {
    setBanner(null);
    const result = await changePasswordAction({ currentPassword: values.currentPassword, newPassword: values.newPassword });
    if (!result.ok) return setBanner(applyServerErrors(setError, result, ["currentPassword", "newPassword"]));
    reset();
    toast.success(result.message ?? "Your password is changed.");
  }

  return (
    <ScriptedForm onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-1" aria-label="Change password">
      <Field
        id="current-password"
        label="Current password"
        type="password"
        required
        autoComplete="current-password"
        error={formState.errors.currentPassword?.message}
        {...register("currentPassword")}
      />
      <Field
        id="new-password"
        label="New password"
        type="password"
        required
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters; a long passphrase is best.`}
        error={formState.errors.newPassword?.message}
        {...register("newPassword")}
      />
      <Field
        id="repeat-password"
        label="Repeat the new password"
        type="password"
        required
        autoComplete="new-password"
        error={formState.errors.repeatPassword?.message}
        {...register("repeatPassword")}
      />
      <div className={banner ? "pb-3" : ""}>
        <FormBanner message={banner} />
      </div>
      <Button type="submit" pending={formState.isSubmitting}>
        {formState.isSubmitting ? "Changing…" : "Change password"}
      </Button>
    </ScriptedForm>
  );
}
