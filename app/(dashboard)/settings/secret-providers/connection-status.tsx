"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Badge } from "@/components/badge";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { AlertIcon, CheckCircleIcon } from "@/components/icons";
import { ScriptedForm } from "@/components/scripted-form";
import { STAGE_LABELS } from "@/lib/providers/upstream/failure-stage";
import type { TestFailure, TestResult } from "@/lib/secret-providers/test-connection";
import type { TestStatus } from "@/lib/secret-providers/test-freshness";
import { testConnectionAction } from "./actions";
import { TEST_ON_ARRIVAL } from "./connection-form-values";

type Outcome = { result: TestResult; path: string } | { message: string };

/**
 * The top of a connection's page: is it working? The last test's result and when (or that the
 * connection changed since), and the Test button. A test run here replaces the stored result on
 * screen, so one error is never shown twice; a failure says at which stage, at which host, and
 * what to change. With a secret path the test reads that secret and shows its version and
 * fingerprint (never its value).
 */
export function ConnectionStatus({
  connectionId,
  status,
  canTest,
  pathHelp,
}: {
  connectionId: string;
  status: TestStatus;
  canTest: boolean;
  pathHelp: string;
}) {
  const router = useRouter();
  // Both typed nullable because the app also has Pages Router pages (pages/); never null here.
  const pathname = usePathname() ?? "";
  const searchParams = useSearchParams();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, setPending] = useState(false);
  const [path, setPath] = useState("");
  const [pathError, setPathError] = useState<string | undefined>();
  const running = useRef(false);
  const resultId = useId();

  const run = useCallback(
    async (providerPath: string) => {
      if (running.current) return;
      running.current = true;
      setPending(true);
      setPathError(undefined);
      const response = await testConnectionAction(connectionId, { providerPath: providerPath || null });
      running.current = false;
      setPending(false);
      if (response.ok) setOutcome({ result: response.data, path: providerPath });
      else if (response.fields.providerPath) setPathError(response.fields.providerPath);
      else setOutcome({ message: response.message ?? "The test could not run." });
    },
    [connectionId],
  );

  const testOnArrival = canTest && searchParams?.get(TEST_ON_ARRIVAL) === "1";
  useEffect(() => {
    if (!testOnArrival) return;
    // Once: the address loses ?test=1, so a reload does not test again.
    router.replace(pathname, { scroll: false });
    // Started after this effect, like any other call to the server.
    void Promise.resolve().then(() => run(""));
  }, [testOnArrival, pathname, router, run]);

  return (
    <div className="space-y-4">
      <div id={resultId} aria-live="polite" data-testid="connection-status">
        {pending ? (
          <p className="flex items-center gap-2 text-sm text-slate-700">
            <Badge tone="neutral">Testing…</Badge> Checking the address and credentials with the manager.
          </p>
        ) : outcome ? (
          <FreshOutcome outcome={outcome} />
        ) : (
          <StoredStatus status={status} />
        )}
      </div>
      {canTest ? (
        <ScriptedForm
          onSubmit={(event) => {
            event.preventDefault();
            void run(path.trim());
          }}
          noValidate
          className="space-y-3"
        >
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" pending={pending} aria-describedby={resultId}>
              {pending ? "Testing…" : "Test connection"}
            </Button>
            <span className="text-xs text-slate-600">Leave the path empty to check the credentials only.</span>
          </div>
          <details className="group" open={Boolean(path) || Boolean(pathError)}>
            <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline">Test by reading a secret</summary>
            <div className="mt-3">
              <Field
                id="test-path"
                label="Secret path to read"
                hint={pathHelp}
                value={path}
                onChange={(event) => setPath(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
                error={pathError}
              />
            </div>
          </details>
        </ScriptedForm>
      ) : (
        <p className="text-sm text-slate-600">Your role cannot test connections.</p>
      )}
    </div>
  );
}

function StoredStatus({ status }: { status: TestStatus }) {
  if (status.kind === "never") {
    return (
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-state="never">
        <Badge tone="neutral">Not tested yet</Badge> Test it to check the address and credentials.
      </p>
    );
  }
  const when = (
    <time dateTime={status.at} title={formatDateTime(status.at)} className="text-slate-700">
      {timeAgo(status.at)}
    </time>
  );
  if (status.changedSince) {
    return (
      <div className="space-y-1 text-sm" data-state="changed">
        <p className="flex flex-wrap items-center gap-2">
          <Badge tone="warning">Not tested since the last change</Badge>
        </p>
        <p className="text-slate-700">
          The last test ({status.kind === "passed" ? "connected" : "failed"}, {when}) was of the settings before the change.
        </p>
      </div>
    );
  }
  if (status.kind === "failed") {
    return (
      <div className="text-sm" data-state="failed">
        <FailureReport testId="last-failure" failure={{ ...status, message: status.message ?? "No message was kept." }}>
          Last tested {when}
        </FailureReport>
      </div>
    );
  }
  return (
    <div className="space-y-1 text-sm" data-state={status.kind}>
      <p className="flex flex-wrap items-center gap-2">
        <Badge tone="success">Connected</Badge>
        <span className="text-slate-700">Last tested {when}</span>
      </p>
    </div>
  );
}

/**
 * A failed test, the same whether it was just run or is the stored last test: the stage, the
 * host, the manager's message and what to check; the footer says which test (its code and time,
 * or when it ran).
 */
function FailureReport({
  testId,
  failure,
  children,
}: {
  testId: string;
  failure: Pick<TestFailure, "message" | "stage" | "endpoint" | "hint">;
  children: ReactNode;
}) {
  return (
    <div
      data-testid={testId}
      data-ok="false"
      data-stage={failure.stage}
      className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p className="flex items-center gap-2 font-medium">
        <AlertIcon className="size-5 shrink-0 text-red-600" />
        {failure.stage ? `Failed at ${STAGE_LABELS[failure.stage]}` : "The connection test failed"}
        {failure.endpoint ? <span className="font-mono text-xs font-normal break-all">· {failure.endpoint}</span> : null}
      </p>
      <p className="mt-1.5 break-words">{failure.message}</p>
      {failure.hint ? (
        <p className="mt-1.5 text-red-800">
          <span className="font-medium">What to check: </span>
          {failure.hint}
        </p>
      ) : null}
      <p className="mt-1.5 text-xs text-red-700">{children}</p>
    </div>
  );
}

function FreshOutcome({ outcome }: { outcome: Outcome }) {
  if ("message" in outcome) {
    return <p className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{outcome.message}</p>;
  }
  const { result, path } = outcome;
  if (result.ok) {
    return (
      <div
        data-testid="test-result"
        data-ok="true"
        className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900"
      >
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
            <dd
              className="font-mono break-all"
              title="A keyed hash of the value: equal fingerprints mean equal values. The value itself is never shown here."
            >
              {result.fingerprint}
            </dd>
          </dl>
        ) : null}
      </div>
    );
  }
  return (
    <FailureReport testId="test-result" failure={result.error}>
      <span className="font-mono">
        {result.error.code} · after {result.latencyMs} ms
      </span>
    </FailureReport>
  );
}
