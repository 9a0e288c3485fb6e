import type { ReactNode } from "react";

/**
 * The body of the not-found and error pages: a short label, a heading, one sentence and one way
 * on. Styled by the stylesheet only (Next's built-in pages use inline styles, which the
 * Content-Security-Policy refuses).
 */
export function StatusNotice(props: { tone: "info" | "error"; label: string; title: string; children: ReactNode; action: ReactNode }) {
  return (
    <div className="mx-auto max-w-md px-4 py-16 text-center">
      <p className={`text-sm font-semibold ${props.tone === "error" ? "text-red-600" : "text-brand-600"}`}>{props.label}</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">{props.title}</h1>
      <p className="mt-2 text-sm text-slate-600">{props.children}</p>
      <div className="mt-6">{props.action}</div>
    </div>
  );
}
