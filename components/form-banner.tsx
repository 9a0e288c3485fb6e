import type { ReactNode } from "react";

/**
 * A message about a whole form (the server refused it, or a problem no single field owns).
 * Announced politely; `tone` success is for confirmations that stay on the page.
 */
export function FormBanner({
  message,
  tone = "error",
  children,
}: {
  message?: string | null;
  tone?: "error" | "success" | "info";
  children?: ReactNode;
}) {
  const styles = {
    error: "border-red-200 bg-red-50 text-red-800",
    success: "border-emerald-200 bg-emerald-50 text-emerald-800",
    info: "border-brand-100 bg-brand-50 text-brand-900",
  }[tone];
  return (
    <div aria-live="polite">
      {message || children ? (
        <div data-banner={tone} className={`rounded-lg border px-4 py-3 text-sm ${styles}`}>
          {message ? <p>{message}</p> : null}
          {children}
        </div>
      ) : null}
    </div>
  );
}
