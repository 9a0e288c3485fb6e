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
import { SelectField } from "@/components/select-field";
import { useToast } from "@/components/toast-provider";
import { createUserAction } from "./actions";
import { withArticle } from "./role-words";
import type { UserFormValues } from "./user-form-schema";

const resolver = lazyZodResolver<UserFormValues, typeof import("./user-form-schema")>(
  () => import("./user-form-schema"),
  (m) => m.userFormSchema,
);

/** Adds a person with a role and a first password (they sign in with it at /login). */
export function UserCreateForm() {
  const toast = useToast();
  const [banner, setBanner] = useState<string | null>(null);
  useWarmResolver(resolver);
  const { register, handleSubmit, formState, setError, reset } = useForm<UserFormValues>({
    resolver,
    mode: "onTouched",
    defaultValues: { email: "", name: "", role: "viewer", password: "" },
  });

  async function onSubmit(values: UserFormValues) {
    setBanner(null);
    const result = await createUserAction({ ...values, name: values.name || null });
    if (!result.ok) return setBanner(applyServerErrors(setError, result, ["email", "name", "role", "password"]));
    reset();
    toast.success(`${result.data.email} can now sign in as ${withArticle(result.data.role)}.`);
  }

  return (
    <ScriptedForm onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-1">
      <Field
        id="user-email"
        label="Email"
        type="email"
        required
        autoComplete="off"
        error={formState.errors.email?.message}
        {...register("email")}
      />
      <Field id="user-name" label="Name" autoComplete="off" error={formState.errors.name?.message} {...register("name")} />
      <SelectField id="user-role" label="Role" required error={formState.errors.role?.message} {...register("role")}>
        <option value="viewer">viewer: metadata only</option>
        <option value="editor">editor: secrets and values</option>
        <option value="admin">admin: everything</option>
      </SelectField>
      <Field
        id="user-password"
        label="First password"
        type="password"
        required
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Share it with them privately.`}
        error={formState.errors.password?.message}
        {...register("password")}
      />
      <div className={banner ? "pb-3" : ""}>
        <FormBanner message={banner} />
      </div>
      <Button type="submit" pending={formState.isSubmitting}>
        {formState.isSubmitting ? "Adding…" : "Add user"}
      </Button>
    </ScriptedForm>
  );
}
