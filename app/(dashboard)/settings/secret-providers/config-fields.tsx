"use client";

import { Fragment, useEffect } from "react";
import { useWatch, type Control, type FieldErrors, type UseFormRegister, type UseFormSetValue } from "react-hook-form";
import { Badge } from "@/components/badge";
import { Field } from "@/components/field";
import { SelectField } from "@/components/select-field";
import { TextAreaField } from "@/components/text-area-field";
import { describeField, type ConfigField, type ProviderDefinition, type SignInMethod } from "@/lib/providers/definition";
import { describeCredentialText } from "@/lib/providers/gcp-sm/credential-config";
import { providerDefinition, type ProviderType } from "@/lib/providers/registry";
import { effectiveSignIn, otherWaysStored, shownForSignIn } from "@/lib/providers/sign-in-choice";
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
  /** The stored config as the page has it (credentials as the mask): what a change of sign-in way clears. */
  config: Readonly<Record<string, string>>;
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
  // Only the fields that mean something with the settings as they are now (the chosen sign-in
  // way's, the chosen auth method's): the rest are not rendered, so they are neither shown nor sent.
  const config = useWatch({ control, name: "config" }) ?? {};
  const chosen = useWatch({ control, name: "signIn" });
  const definition = providerDefinition(type);
  const signIn = effectiveSignIn(definition, chosen);
  // A choice left from another type (or none yet) becomes this type's first way.
  useEffect(() => {
    if (definition.signIn && chosen !== signIn) setValue("signIn", signIn);
  }, [definition, chosen, signIn, setValue]);
  // The choice comes just before the first field that belongs to a way (after AWS's region, Azure's vault URL).
  const pickerBefore = definition.fields.find((f) => !shownForSignIn(definition, undefined, f.key))?.key;
  const shown = (f: ConfigField) => shownForSignIn(definition, signIn, f.key) && (f.shownWhen ? f.shownWhen(config) : true);
  return (
    <div className="space-y-1">
      {definition.fields.map((f) => (
        <Fragment key={f.key}>
          {f.key === pickerBefore && definition.signIn ? (
            <SignInPicker
              methods={definition.signIn.methods}
              chosen={signIn}
              register={register}
              clearing={stored ? otherWaysStored(definition, signIn, stored.config).map((key) => labelOf(definition, key)) : []}
            />
          ) : null}
          {shown(f) ? (
            <ConfigInput
              type={type}
              field={{ ...describeField(f), upload: f.upload }}
              register={register}
              errors={errors}
              setValue={setValue}
              stored={stored}
            />
          ) : null}
        </Fragment>
      ))}
    </div>
  );
}

function labelOf(definition: ProviderDefinition, key: string): string {
  return definition.fields.find((f) => f.key === key)?.label ?? key;
}

/**
 * "Sign in with": the ways the type can sign in; only the chosen way's fields are on the form.
 * On edit, choosing another way says which stored settings saving will remove.
 */
function SignInPicker({
  methods,
  chosen,
  register,
  clearing,
}: {
  methods: readonly SignInMethod[];
  chosen: string | undefined;
  register: UseFormRegister<ConnectionFormValues>;
  clearing: string[];
}) {
  const method = methods.find((m) => m.value === chosen);
  return (
    <>
      <SelectField id="signIn" label="Sign in with" hint={method?.help} {...register("signIn")}>
        {methods.map((m) => (
          <option key={m.value} value={m.value}>
            {m.label}
          </option>
        ))}
      </SelectField>
      {clearing.length > 0 ? (
        <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="sign-in-clearing">
          Saving removes the stored {clearing.join(", ")}: this connection will sign in only with “{method?.label}”.
        </p>
      ) : null}
    </>
  );
}

/** One config field's input, from its definition. */
function ConfigInput({
  type,
  field,
  register,
  errors,
  setValue,
  stored,
}: {
  type: ProviderType;
  field: ReturnType<typeof describeField> & { upload?: ConfigField["upload"] };
  register: UseFormRegister<ConnectionFormValues>;
  errors: FieldErrors<ConnectionFormValues>;
  setValue: UseFormSetValue<ConnectionFormValues>;
  stored?: StoredCredentials;
}) {
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
      <SelectField {...common}>
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
    const area = <TextAreaField rows={field.upload ? 4 : 6} mono {...typed} />;
    if (!field.upload) return area;
    return (
      <FileToField
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
      type={field.type === "password" ? "password" : field.type === "url" ? "url" : "text"}
      {...typed}
      autoComplete={field.type === "password" ? "new-password" : "off"}
      className={field.sensitive ? "font-mono" : ""}
    />
  );
}
