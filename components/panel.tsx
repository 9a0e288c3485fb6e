import type { ReactNode } from "react";

/** A white card with an optional heading, for grouping one task on a page. */
export function Panel({
  title,
  description,
  children,
  tone = "default",
  className = "",
  headingLevel = 2,
}: {
  title?: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  tone?: "default" | "danger";
  className?: string;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className={`rounded-xl border bg-white shadow-sm ${tone === "danger" ? "border-red-200" : "border-slate-200"} ${className}`}>
      {title ? (
        <header className="border-b border-slate-100 px-5 py-4">
          <Heading className={`text-sm font-semibold ${tone === "danger" ? "text-red-700" : "text-slate-900"}`}>{title}</Heading>
          {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
        </header>
      ) : null}
      <div className="px-5 py-5">{children}</div>
    </section>
  );
}
