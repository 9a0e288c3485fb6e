"use client";

import { useWatch, type Control, type FieldErrors, type UseFormRegister, type UseFormSetValue } from "react-hook-form";
import { Badge } from "@/components/badge";
import { Field } from "@/components/field";
import { SelectField } from "@/components/select-field";
import { TextAreaField } from "@/components/text-area-field";
import { describeField } from "@/lib/providers/definition";
import { describeCredentialText } from "@/lib/providers/gcp-sm/credential-config";
import { providerDefinition, type ProviderType } from "@/lib/providers/registry";
import type { ConnectionFormValues } from "./connection-form-values";
import { FileToField } from "./file-to-field";
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
  control,
  setValue,
  stored,
}: {
  type: ProviderType;
  register: UseFormRegister<ConnectionFormValues>;
  errors: FieldErrors<ConnectionFormValues>;
  control: Control<ConnectionFormValues>;
  setValue: UseFormSetValue<ConnectionFormValues>;
  /** Edit form only. */
  stored?: StoredCredentials;
}) {
  // Only the fields that mean something with the settings as they are now (the chosen auth
  // method's): the rest are not rendered, so they are neither shown nor sent.
  const config = useWatch({ control, name: "config" }) ?? {};
  const definitions = providerDefinition(type).fields;
  const fields = definitions
    .filter((f) => ("shownWhen" in f && f.shownWhen ? f.shownWhen(config) : true))
    .map((f) => ({ ...describeField(f), upload: "upload" in f ? f.upload : undefined }));
  return (
    <div className="space-y-1">
      {fields.map((field) => {
        const id = `config-${field.key}`;
        const isStored = stored?.keys.has(field.key) ?? false;
        const label = (
          <>
            {field.label}
            {isStored ? (
              <Badge tone="neutral" className="ml-1">
                Stored
              </Badge>
            ) : null}
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
        if (field.type === "textarea") {
          const area = <TextAreaField key={field.key} rows={field.upload ? 4 : 6} mono {...typed} />;
          if (!field.upload) return area;
          return (
            <FileToField
              key={field.key}
              accept={field.upload.accept}
              description={field.upload.description}
              describe={type === "gcp-sm" ? describeCredentialText : undefined}
              onText={(text) => setValue(`config.${field.key}`, text, { shouldDirty: true, shouldValidate: true })}
            >
              {area}
            </FileToField>
          );
        }
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
