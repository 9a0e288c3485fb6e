import type { ReactNode, SelectHTMLAttributes } from "react";
import { CONTROL_CLASSES, FieldFrame, fieldAria } from "./field-frame";

/** A labelled native select, wired like Field. */
export function SelectField({
  id,
  label,
  error,
  hint,
  required,
  optionalLabel,
  className = "",
  children,
  ...select
}: { id: string; label: ReactNode; error?: string; hint?: ReactNode; optionalLabel?: boolean } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame id={id} label={label} required={required} optionalLabel={optionalLabel} hint={hint} error={error}>
      <select
        id={id}
        aria-required={required || undefined}
        {...fieldAria(id, { hint, error })}
        className={`${CONTROL_CLASSES} pr-8 ${className}`}
        {...select}
      >
        {children}
      </select>
    </FieldFrame>
  );
}
