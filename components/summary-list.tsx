import type { ReactNode } from "react";

/**
 * A read-only list of settings, one row each (label on the left, value on the right from a small
 * screen up): what an edit form would let one change, shown until Edit opens the form.
 */
export function SummaryList({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <dl className="divide-y divide-slate-100 text-sm" data-testid={testId}>
      {children}
    </dl>
  );
}

/** One setting of a SummaryList; `mono` for values that are typed as code (paths, keys, versions). */
export function SummaryRow({
  label,
  children,
  mono = false,
  testId,
}: {
  label: ReactNode;
  children: ReactNode;
  mono?: boolean;
  testId?: string;
}) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-3">
      <dt className="font-medium text-slate-700">{label}</dt>
      <dd className={`break-all text-slate-900 sm:col-span-2 ${mono ? "font-mono" : ""}`} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
