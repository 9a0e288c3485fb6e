"use client";

import { useId, useState } from "react";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { AlertIcon, CheckCircleIcon } from "@/components/icons";
import type { TestResult } from "@/lib/secret-providers/test-connection";
import { testConnectionAction } from "./actions";

/**
 * "Test connection": a cheap authenticated call, or, with a secret path, a real read that reports
 * the secret's version and fingerprint (never its value). Failures show the manager's own answer.
 */
export function TestConnectionPanel({ connectionId, pathHelp }: { connectionId: string; pathHelp: string }) {
  const [path, setPath] = useState("");
  const [pending, setPending] = useState(false);
  const [pathError, setPathError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<{ result: TestResult; path: string } | { message: string } | null>(null);
  const resultId = useId();

  async function run(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setPathError(undefined);
    setOutcome(null);
    const trimmed = path.trim();
    const response = await testConnectionAction(connectionId, { providerPath: trimmed || null });
    setPending(false);
    if (response.ok) setOutcome({ result: response.data, path: trimmed });
    else if (response.fields.providerPath) setPathError(response.fields.providerPath);
    else setOutcome({ message: response.message ?? "The test could not run." });
  }

  return (
    <form onSubmit={run} noValidate aria-describedby={resultId}>
      <Field
        id="test-path"
        label="Secret path to read"
        hint={<>Leave empty to check the credentials only. {pathHelp}</>}
        value={path}
        onChange={(event) => setPath(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        error={pathError}
      />
      <Button type="submit" variant="secondary" pending={pending}>
        {pending ? "Testing…" : "Test connection"}
      </Button>
      <div id={resultId} aria-live="polite" className="mt-4">
        {outcome ? <TestOutcome outcome={outcome} /> : null}
      </div>
    </form>
  );
}

function TestOutcome({ outcome }: { outcome: { result: TestResult; path: string } | { message: string } }) {
  if ("message" in outcome) {
    return <p className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{outcome.message}</p>;
  }
  const { result, path } = outcome;
  if (result.ok) {
    return (
      <div data-testid="test-result" data-ok="true" className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
        <p className="flex items-center gap-2 font-medium">
          <CheckCircleIcon className="size-5 text-emerald-600" />
          Connected in {result.latencyMs} ms
        </p>
        {path ? (
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
            <dt className="text-emerald-800">Read</dt>
            <dd className="font-mono break-all">{path}</dd>
            <dt className="text-emerald-800">Version</dt>
            <dd className="font-mono">{result.version ?? "not reported"}</dd>
            <dt className="text-emerald-800">Fingerprint</dt>
            <dd className="font-mono break-all" title="A keyed hash of the value: equal fingerprints mean equal values. The value itself is never shown here.">
              {result.fingerprint}
            </dd>
          </dl>
        ) : null}
      </div>
    );
  }
  return (
    <div data-testid="test-result" data-ok="false" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      <p className="flex items-center gap-2 font-medium">
        <AlertIcon className="size-5 text-red-600" />
        The connection test failed
      </p>
      <p className="mt-1.5">{result.error.message}</p>
      {result.error.hint ? <p className="mt-1 text-red-800">{result.error.hint}</p> : null}
      <p className="mt-1.5 font-mono text-xs text-red-700">
        {result.error.code} · after {result.latencyMs} ms
      </p>
    </div>
  );
}
