import type { Snippet } from "@/lib/usage-snippets";
import { CopyButton } from "./copy-button";

/**
 * Code to copy, one block per way of using a secret or token. No hooks of its own, so both server
 * pages and client forms render it; the text comes from lib/usage-snippets (never a value or token).
 */
export function UsageSnippets({ snippets }: { snippets: Snippet[] }) {
  return (
    // Inline-size containment: a long command line scrolls inside its block instead of widening
    // every column around it (on a phone, the whole page).
    <div className="space-y-4 [contain:inline-size]">
      {snippets.map((snippet) => (
        <div key={snippet.id} data-testid={`snippet-${snippet.id}`}>
          <div className="mb-1.5 flex items-center justify-between gap-2">
            <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase" id={`snippet-${snippet.id}-label`}>
              {snippet.label}
            </h3>
            <CopyButton value={snippet.code} label={snippet.copyLabel} />
          </div>
          {/* Scrolled, not wrapped: a wrapped command reads as two, and breaks at its hyphens. Focusable so
              a keyboard can scroll it too. */}
          <pre
            tabIndex={0}
            aria-labelledby={`snippet-${snippet.id}-label`}
            className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2.5 font-mono text-xs leading-relaxed whitespace-pre text-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            <code>{snippet.code}</code>
          </pre>
          {snippet.note ? <p className="mt-1.5 text-xs text-slate-500">{snippet.note}</p> : null}
        </div>
      ))}
    </div>
  );
}
