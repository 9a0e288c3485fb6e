"use client";

import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { Badge } from "@/components/badge";
import { Field } from "@/components/field";
import { TextAreaField } from "@/components/text-area-field";
import { describeField } from "@/lib/providers/definition";
import { providerDefinition, type ProviderType } from "@/lib/providers/registry";
import type { ConnectionFormValues } from "./connection-form-schema";

/**
 * One input per config field of the chosen type, straight from its definition (the same one the
 * API validates with and the types endpoint publishes): label, help, placeholder, required,
 * password inputs for sensitive fields, a textarea for multi-line ones.
 */
export function ConfigFields({
  type,
  register,
  errors,
  storedSensitive,
}: {
  type: ProviderType;
  register: UseFormRegister<ConnectionFormValues>;
  errors: FieldErrors<ConnectionFormValues>;
  /** Sensitive keys that have a stored value (edit form): they show the mask. */
  storedSensitive: ReadonlySet<string>;
}) {
  const fields = providerDefinition(type).fields.map(describeField);
  return (
    <div className="space-y-1">
      {fields.map((field) => {
        const id = `config-${field.key}`;
        const stored = storedSensitive.has(field.key);
        const label = (
          <>
            {field.label}
            {stored ? <Badge tone="neutral" className="ml-1">Stored</Badge> : null}
          </>
        );
        const hint = stored ? (
          <>
            <span className="font-medium text-slate-600">Stored encrypted.</span> Leave it as is to keep it; clear it and type a new value to
            replace it. {field.help}
          </>
        ) : (
          field.help
        );
        const error = errors.config?.[field.key]?.message;
        const common = {
          id,
          label,
          hint,
          error,
          required: field.required,
          placeholder: field.placeholder,
          autoComplete: "off",
          spellCheck: false,
          ...register(`config.${field.key}`),
        };
        if (field.type === "textarea") return <TextAreaField key={field.key} rows={6} mono {...common} />;
        return (
          <Field
            key={field.key}
            type={field.type === "password" ? "password" : field.type === "url" ? "url" : "text"}
            {...common}
            autoComplete={field.type === "password" ? "new-password" : "off"}
            className={field.sensitive ? "font-mono" : ""}
          />
        );
      })}
    </div>
  );
}
