import type { ReactNode } from "react";

/** The ids and ARIA attributes that tie a control to its hint and error. */
export function fieldAria(id: string, { hint, error }: { hint?: ReactNode; error?: string }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return { "aria-describedby": describedBy || undefined, "aria-invalid": error ? true : undefined };
}

export const CONTROL_CLASSES =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm outline-none " +
  "placeholder:text-slate-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-100 disabled:bg-slate-50 disabled:text-slate-500 " +
  "aria-invalid:border-red-500 aria-invalid:focus:ring-red-100";

/**
 * Label, control, hint and error for one form field. The error line is always rendered (empty
 * when there is none) so that screen readers announce it when it appears, and the layout does not
 * jump. Required fields carry a visible asterisk; optional ones say so in words.
 */
export function FieldFrame({
  id,
  label,
  required,
  optionalLabel = true,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  required?: boolean;
  optionalLabel?: boolean;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="flex items-baseline gap-1 text-sm font-medium text-slate-800">
        {label}
        {required ? (
          <span className="text-red-600" aria-hidden="true">
            *
          </span>
        ) : optionalLabel ? (
          <span className="text-xs font-normal text-slate-500">(optional)</span>
        ) : null}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs leading-relaxed text-slate-500">
          {hint}
        </p>
      ) : null}
      <p id={`${id}-error`} aria-live="polite" className="min-h-4 text-xs font-medium text-red-600">
        {error ?? ""}
      </p>
    </div>
  );
}
