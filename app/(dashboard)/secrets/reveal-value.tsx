"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/button";
import { CopyButton } from "@/components/copy-button";
import { EyeIcon } from "@/components/icons";
import type { ResolvedSecret } from "@/lib/secrets/resolve/resolve-secrets";
import { revealSecretAction } from "./actions";

const VISIBLE_SECONDS = 20;

/**
 * The only place the dashboard shows a value: fetched on an explicit click through a server
 * action (audited as a read, like the resolve API), kept in memory only, hidden again after 20 s.
 */
export function RevealValue({ secretPath }: { secretPath: string }) {
  const [state, setState] = useState<
    { kind: "hidden" } | { kind: "loading" } | { kind: "shown"; secret: ResolvedSecret } | { kind: "error"; message: string }
  >({
    kind: "hidden",
  });
  const [left, setLeft] = useState(VISIBLE_SECONDS);
  const shown = state.kind === "shown";

  // One timer hides the value; another only redraws the countdown.
  useEffect(() => {
    if (!shown) return;
    const hideAt = Date.now() + VISIBLE_SECONDS * 1000;
    const hide = setTimeout(() => setState({ kind: "hidden" }), VISIBLE_SECONDS * 1000);
    const tick = setInterval(() => setLeft(Math.max(0, Math.ceil((hideAt - Date.now()) / 1000))), 1000);
    return () => {
      clearTimeout(hide);
      clearInterval(tick);
    };
  }, [shown, state]);

  async function reveal() {
    setState({ kind: "loading" });
    const result = await revealSecretAction(secretPath);
    setLeft(VISIBLE_SECONDS);
    setState(
      result.ok ? { kind: "shown", secret: result.data } : { kind: "error", message: result.message ?? "The value could not be read." },
    );
  }

  if (state.kind === "shown") {
    const { secret } = state;
    return (
      <div className="space-y-3">
        <pre
          data-testid="secret-value"
          className="max-h-64 overflow-auto rounded-lg border border-slate-200 bg-slate-900 px-4 py-3 font-mono text-sm break-all whitespace-pre-wrap text-emerald-200"
        >
          {secret.value}
        </pre>
        <div className="flex flex-wrap items-center gap-2">
          <CopyButton value={secret.value} label="Copy value" />
          <Button variant="secondary" size="sm" onClick={() => setState({ kind: "hidden" })}>
            Hide
          </Button>
          <span className="text-xs text-slate-500" aria-live="off">
            Hides in {left} s
          </span>
        </div>
        <div className="h-1 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
          <div
            className="h-full bg-brand-500 transition-[width] duration-1000 ease-linear"
            style={{ width: `${(left / VISIBLE_SECONDS) * 100}%` }}
          />
        </div>
        <p className="text-xs text-slate-500">
          {secret.provider === "provenance" ? "Stored in Provenance" : `From ${secret.provider}`}
          {secret.version ? ` · version ${secret.version}` : ""}
          {secret.cached ? " · from cache" : ""}
          {secret.stale ? " · stale (the manager is failing; this is the last good value)" : ""} · this read was recorded in the audit log.
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3 rounded-lg border border-dashed border-slate-300 px-4 py-3">
        <span className="font-mono text-slate-400 select-none" aria-hidden="true">
          ••••••••••••
        </span>
        <span className="sr-only">The value is hidden.</span>
        <Button variant="secondary" size="sm" className="ml-auto" onClick={reveal} pending={state.kind === "loading"}>
          <EyeIcon className="size-4" />
          {state.kind === "loading" ? "Revealing…" : "Reveal value"}
        </Button>
      </div>
      <div aria-live="polite">
        {state.kind === "error" ? (
          <p className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{state.message}</p>
        ) : null}
      </div>
    </div>
  );
}
