import type { ReactNode, TextareaHTMLAttributes } from "react";
import { CONTROL_CLASSES, FieldFrame, fieldAria } from "./field-frame";

/** A labelled multi-line input (a description, or with `mono` a key or a value), wired like Field. */
export function TextAreaField({
  id,
  label,
  error,
  hint,
  required,
  optionalLabel,
  mono = false,
  className = "",
  ...textarea
}: {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  optionalLabel?: boolean;
  mono?: boolean;
} & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame id={id} label={label} required={required} optionalLabel={optionalLabel} hint={hint} error={error}>
      <textarea
        id={id}
        aria-required={required || undefined}
        {...fieldAria(id, { hint, error })}
        className={`${CONTROL_CLASSES} ${mono ? "font-mono text-xs leading-relaxed" : ""} ${className}`}
        {...textarea}
      />
    </FieldFrame>
  );
}
