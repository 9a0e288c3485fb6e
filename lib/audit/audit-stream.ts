import { appendFileSync } from "node:fs";
import { env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { auditEventView, type AuditRow } from "./audit-event-view";
import { processShared } from "@/lib/process-shared";

/**
 * PROVENANCE_AUDIT_STREAM: every committed audit event, also as one JSON line (the fields the
 * audit pages show) on stdout or appended to a file, for a SIEM to collect, like Vault's audit
 * devices. The database stays the record: a line that cannot be written is lost from the stream
 * only, with one warning until writing works again, and never fails the request it belongs to.
 * Audit rows hold no values or credentials, so neither do the lines.
 *
 * One synchronous append per group write (a few microseconds on a local disk), so a line is
 * written before its caller is answered and an exiting process (the CLI exits right after its
 * work) never leaves lines behind. The file is opened for each append (O_APPEND, created with
 * mode 0600): renaming it away for rotation just starts a new file, and a failure (a full disk,
 * a removed directory) ends as soon as its cause does.
 */

interface StreamState {
  failing: boolean;
}

// One per process (lib/process-shared.ts): both of Next's copies of lib/ share the warning state.
function stream(): StreamState {
  return processShared("audit.stream", () => ({ failing: false }));
}

/** Writes committed rows to the audit stream, if one is configured. Never throws. */
export function streamAuditEvents(rows: AuditRow[]): void {
  const state = stream();
  let target: string | undefined;
  try {
    target = env().PROVENANCE_AUDIT_STREAM;
    if (!target || rows.length === 0) return;
    const lines = rows.map((row) => `${JSON.stringify(auditEventView(row))}\n`).join("");
    if (target === "stdout") process.stdout.write(lines);
    else appendFileSync(target, lines, { mode: 0o600 });
    if (state.failing) log.info("audit stream writing again", { target });
    state.failing = false;
  } catch (error) {
    if (state.failing) return;
    state.failing = true;
    log.warn("could not write to the audit stream (the events are in the database)", { target, ...describeError(error) });
  }
}
