"use client";

import { useWatch, type Control, type UseFormSetValue } from "react-hook-form";
import { buttonClasses } from "@/components/button-styles";
import type { ConnectionFormValues } from "./connection-form-values";

/**
 * What saving will do with a stored credential (edit form), said for the field's current state,
 * with the control that changes it: the mask keeps it (Replace clears the field for a new value),
 * a typed value replaces it, and a cleared field is kept again with Keep stored. An optional
 * credential is only deleted after Remove stored value: an empty field alone is never sent.
 */
export function StoredCredentialNote({
  id,
  fieldKey,
  label,
  required,
  mask,
  control,
  setValue,
  removing,
  onRemovingChange,
}: {
  id: string;
  fieldKey: string;
  label: string;
  required: boolean;
  mask: string;
  control: Control<ConnectionFormValues>;
  setValue: UseFormSetValue<ConnectionFormValues>;
  removing: boolean;
  onRemovingChange: (removing: boolean) => void;
}) {
  const name = `config.${fieldKey}` as const;
  const value = useWatch({ control, name }) ?? "";
  const set = (next: string) => setValue(name, next, { shouldDirty: true, shouldValidate: true });
  const keep = (
    <ActionButton
      onClick={() => {
        onRemovingChange(false);
        set(mask);
      }}
    >
      Keep stored
    </ActionButton>
  );

  if (value === mask) {
    return (
      <Note state="keep" text={`Stored encrypted; saving keeps it.`}>
        <ActionButton
          onClick={() => {
            set("");
            document.getElementById(id)?.focus();
          }}
        >
          Replace
        </ActionButton>
      </Note>
    );
  }
  if (value !== "")
    return (
      <Note state="replace" text={`Saving replaces the stored ${label} with the value typed here.`}>
        {keep}
      </Note>
    );
  if (required)
    return (
      <Note state="cleared" text={`Cleared: type the new ${label}, or keep the stored one.`}>
        {keep}
      </Note>
    );
  if (removing)
    return (
      <Note state="remove" text={`The stored ${label} will be deleted when you save.`}>
        {keep}
      </Note>
    );
  return (
    <Note state="cleared" text={`Cleared: type a new ${label}, keep the stored one, or delete it.`}>
      {keep}
      <ActionButton onClick={() => onRemovingChange(true)}>Delete stored value</ActionButton>
    </Note>
  );
}

function Note({ state, text, children }: { state: string; text: string; children: React.ReactNode }) {
  return (
    <span className="mt-1 flex flex-wrap items-center gap-2" data-credential-state={state}>
      <span className="font-medium text-slate-700">{text}</span>
      {children}
    </span>
  );
}

function ActionButton({ onClick, children }: { onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" onClick={onClick} className={buttonClasses("secondary", "sm")}>
      {children}
    </button>
  );
}
