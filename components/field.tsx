import type { InputHTMLAttributes, ReactNode } from "react";
import { CONTROL_CLASSES, FieldFrame, fieldAria } from "./field-frame";

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function Field({
  id,
  label,
  error,
  hint,
  required,
  optionalLabel,
  className = "",
  ...input
}: { id: string; label: ReactNode; error?: string; hint?: ReactNode; optionalLabel?: boolean } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame id={id} label={label} required={required} optionalLabel={optionalLabel} hint={hint} error={error}>
      <input
        id={id}
        aria-required={required || undefined}
        {...fieldAria(id, { hint, error })}
        className={`${CONTROL_CLASSES} ${className}`}
        {...input}
      />
    </FieldFrame>
  );
}
