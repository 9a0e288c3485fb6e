"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { lazyZodResolver, useWarmResolver } from "@/components/lazy-resolver";
import { ScriptedForm } from "@/components/scripted-form";
import { useToast } from "@/components/toast-provider";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-rules";
import type { UserView } from "@/lib/users/manage-users";
import { resetPasswordAction } from "./actions";
import type { ResetPasswordFormValues } from "./reset-password-form-schema";

const resolver = lazyZodResolver<ResetPasswordFormValues, typeof import("./reset-password-form-schema")>(
  () => import("./reset-password-form-schema"),
  (m) => m.resetPasswordFormSchema,
);

/** An admin sets a new password for someone (e.g. after a leak); all their sessions end at once. */
export function ResetPasswordButton({ user }: { user: UserView }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  useWarmResolver(resolver);
  const { register, handleSubmit, formState, setError, reset } = useForm<ResetPasswordFormValues>({
    resolver,
    mode: "onTouched",
    defaultValues: { newPassword: "" },
  });

  function close() {
    setOpen(false);
    setBanner(null);
    reset();
  }

  async function onSubmit(values: ResetPasswordFormValues) {
    setBanner(null);
    const result = await resetPasswordAction(user.id, values);
    if (!result.ok) return setBanner(applyServerErrors(setError, result, ["newPassword"]));
    close();
    toast.success(`${user.email} has a new password and was signed out everywhere.`);
  }

  const fieldId = `reset-password-${user.id}`;
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)} aria-label={`Reset password of ${user.email}`}>
        Reset password
      </Button>
      <ConfirmDialog
        open={open}
        title={`Reset the password of ${user.email}?`}
        confirmLabel=""
        hideConfirm
        cancelLabel="Cancel"
        onConfirm={close}
        onClose={close}
      >
        <ScriptedForm onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-1" aria-label={`New password for ${user.email}`}>
          <p className="pb-3">
            Every session of this account ends at once. Share the new password with them privately. API tokens are not affected.
          </p>
          <Field
            id={fieldId}
            label="New password"
            type="password"
            required
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            error={formState.errors.newPassword?.message}
            {...register("newPassword")}
          />
          <div className={banner ? "pb-3" : ""}>
            <FormBanner message={banner} />
          </div>
          <Button type="submit" pending={formState.isSubmitting}>
            {formState.isSubmitting ? "Setting…" : "Set new password"}
          </Button>
        </ScriptedForm>
      </ConfirmDialog>
    </>
  );
}
