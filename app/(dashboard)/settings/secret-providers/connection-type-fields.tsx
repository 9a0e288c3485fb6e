"use client";

import type { Control, FieldErrors, UseFormRegister, UseFormSetValue } from "react-hook-form";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import { AllowedPathsField } from "./allowed-paths-field";
import { ConfigFields } from "./config-fields";
import type { ConnectionFormValues } from "./connection-form-values";

/**
 * What the new-connection form shows once a type is chosen: the type's config fields and the path
 * fence. A module of its own, loaded when a type is chosen (or earlier, when the browser is idle):
 * it brings the provider definitions, and with them zod, which the rest of the form does without.
 */

/** The form's names of a type's config fields, for placing the server's errors on them. */
export function configFieldNames(type: string): string[] {
  return isProviderType(type) ? providerDefinition(type).fields.map((f) => `config.${f.key}`) : [];
}

export function TypeFields({
  type,
  register,
  errors,
  control,
  setValue,
}: {
  type: string;
  register: UseFormRegister<ConnectionFormValues>;
  errors: FieldErrors<ConnectionFormValues>;
  control: Control<ConnectionFormValues>;
  setValue: UseFormSetValue<ConnectionFormValues>;
}) {
  if (!isProviderType(type)) return null;
  return (
    <div className="space-y-4">
      <ConfigFields type={type} register={register} errors={errors} control={control} setValue={setValue} />
      <AllowedPathsField register={register} error={errors.allowedProviderPaths?.message} />
    </div>
  );
}
