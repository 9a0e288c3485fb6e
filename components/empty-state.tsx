import type { ReactNode } from "react";

/** What a list shows when it has nothing yet: what this is, and what to do about it. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      {icon ? (
        <div className="mx-auto mb-3 flex size-11 items-center justify-center rounded-full bg-brand-50 text-brand-600">{icon}</div>
      ) : null}
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <div className="mx-auto mt-1.5 max-w-md text-sm leading-relaxed text-slate-600">{children}</div>
      {action ? <div className="mt-5 flex justify-center">{action}</div> : null}
    </div>
  );
}
