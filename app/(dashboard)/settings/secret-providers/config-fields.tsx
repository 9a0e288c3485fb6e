"use client";

import type { Control, FieldErrors, UseFormRegister, UseFormSetValue } from "react-hook-form";
import { Badge } from "@/components/badge";
import { Field } from "@/components/field";
import { SelectField } from "@/components/select-field";
import { TextAreaField } from "@/components/text-area-field";
import { describeField } from "@/lib/providers/definition";
import { providerDefinition, type ProviderType } from "@/lib/providers/registry";
import type { ConnectionFormValues } from "./connection-form-schema";
import { StoredCredentialNote } from "./stored-credential-note";

/** The edit form's handle on stored credentials (see StoredCredentialNote). */
export interface StoredCredentials {
  /** Sensitive keys that have a stored value: they show the mask. */
  keys: ReadonlySet<string>;
  mask: string;
  control: Control<ConnectionFormValues>;
  setValue: UseFormSetValue<ConnectionFormValues>;
  /** Optional credentials the person chose to delete. */
  removing: ReadonlySet<string>;
  onRemovingChange: (key: string, removing: boolean) => void;
}

/**
 * One input per config field of the chosen type, straight from its definition (the same one the
 * API validates with and the types endpoint publishes): label, help, placeholder, required,
 * password inputs for sensitive fields, a textarea for multi-line ones, a select where the schema
 * lists the only values allowed.
 */
export function ConfigFields({
  type,
  register,
  errors,
  stored,
}: {
  type: ProviderType;
  register: UseFormRegister<ConnectionFormValues>;
  errors: FieldErrors<ConnectionFormValues>;
  /** Edit form only. */
  stored?: StoredCredentials;
}) {
  const fields = providerDefinition(type).fields.map(describeField);
  return (
    <div className="space-y-1">
      {fields.map((field) => {
        const id = `config-${field.key}`;
        const isStored = stored?.keys.has(field.key) ?? false;
        const label = (
          <>
            {field.label}
            {isStored ? <Badge tone="neutral" className="ml-1">Stored</Badge> : null}
          </>
        );
        const hint =
          stored && isStored ? (
            <>
              {field.help}
              <StoredCredentialNote
                id={id}
                fieldKey={field.key}
                label={field.label}
                required={field.required}
                mask={stored.mask}
                control={stored.control}
                setValue={stored.setValue}
                removing={stored.removing.has(field.key)}
                onRemovingChange={(removing) => stored.onRemovingChange(field.key, removing)}
              />
            </>
          ) : (
            field.help
          );
        const error = errors.config?.[field.key]?.message;
        const common = { id, label, hint, error, required: field.required, ...register(`config.${field.key}`) };
        if (field.options) {
          // A fixed set of values: a choice, not free text. Empty is the type's default (or, when required, nothing chosen yet).
          return (
            <SelectField key={field.key} {...common}>
              <option value="">{field.required ? "Choose…" : `Default${field.placeholder ? ` (${field.placeholder})` : ""}`}</option>
              {field.options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </SelectField>
          );
        }
        const typed = { placeholder: field.placeholder, spellCheck: false, autoComplete: "off", ...common };
        if (field.type === "textarea") return <TextAreaField key={field.key} rows={6} mono {...typed} />;
        return (
          <Field
            key={field.key}
            type={field.type === "password" ? "password" : field.type === "url" ? "url" : "text"}
            {...typed}
            autoComplete={field.type === "password" ? "new-password" : "off"}
            className={field.sensitive ? "font-mono" : ""}
          />
        );
      })}
    </div>
  );
}
