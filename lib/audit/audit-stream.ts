import { appendFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { auditEventView, type AuditRow } from "./audit-event-view";

/**
 * PROVENANCE_AUDIT_STREAM: every committed audit event, also as one JSON line (the fields the
 * audit pages show) on stdout or appended to a file, for a SIEM to collect, like Vault's audit
 * devices. The database stays the record: a line that cannot be written is lost from the stream
 * only, with one warning until writing works again, and never fails the request it belongs to.
 * Audit rows hold no values or credentials, so neither do the lines.
 *
 * The file is opened for each write (O_APPEND, created with mode 0600): renaming it away for
 * rotation just starts a new file, and a failure (a full disk, a removed directory) ends as soon
 * as the cause does. Lines that arrive while a write is under way go out together in the next one.
 */

/** Lines held while the file cannot keep up; beyond this they are dropped (they stay in the database). */
const MAX_BUFFERED_CHARS = 16 * 1024 * 1024;

interface StreamState {
  buffered: string;
  /** Where the buffered lines go. */
  file: string;
  writing: Promise<void> | null;
  failing: boolean;
  exitHookInstalled: boolean;
}

// On globalThis under a registered symbol: both of Next's copies of lib/ write through one buffer.
const STREAM = Symbol.for("provenance.audit.stream");

function stream(): StreamState {
  const holder = globalThis as typeof globalThis & { [STREAM]?: StreamState };
  return (holder[STREAM] ??= { buffered: "", file: "", writing: null, failing: false, exitHookInstalled: false });
}

/** Writes committed rows to the audit stream, if one is configured. Never throws. */
export function streamAuditEvents(rows: AuditRow[]): void {
  try {
    const target = env().PROVENANCE_AUDIT_STREAM;
    if (!target || rows.length === 0) return;
    const lines = rows.map((row) => `${JSON.stringify(auditEventView(row))}\n`).join("");
    if (target !== "stdout") return appendToFile(stream(), target, lines);
    process.stdout.write(lines);
    stream().failing = false;
  } catch (error) {
    warnOnce(stream(), error);
  }
}

/** Resolves once every line handed to the stream so far has been written (or has failed). */
export async function auditStreamIdle(): Promise<void> {
  const state = stream();
  while (state.writing) await state.writing;
}

function appendToFile(state: StreamState, file: string, lines: string): void {
  if (state.buffered.length + lines.length > MAX_BUFFERED_CHARS) {
    warnOnce(state, new Error(`more than ${MAX_BUFFERED_CHARS} characters waiting for ${file}; lines are being dropped`));
    return;
  }
  state.buffered += lines;
  state.file = file;
  installExitHook(state);
  state.writing ??= writeBuffered(state).finally(() => (state.writing = null));
}

async function writeBuffered(state: StreamState): Promise<void> {
  while (state.buffered) {
    const { buffered: chunk, file } = state;
    state.buffered = "";
    try {
      await appendFile(file, chunk, { mode: 0o600 });
      if (state.failing) log.info("audit stream writing again", { file });
      state.failing = false;
    } catch (error) {
      warnOnce(state, error, file);
    }
  }
}

/** Lines still buffered when the process exits are written synchronously on the way out. */
function installExitHook(state: StreamState): void {
  if (state.exitHookInstalled) return;
  state.exitHookInstalled = true;
  process.once("exit", () => {
    if (!state.buffered) return;
    try {
      appendFileSync(state.file, state.buffered, { mode: 0o600 });
    } catch {
      // Exiting: the rows are in the database; nothing more to do.
    }
  });
}

function warnOnce(state: StreamState, error: unknown, file?: string): void {
  if (state.failing) return;
  state.failing = true;
  log.warn("could not write to the audit stream (the events are in the database)", { ...(file ? { file } : {}), ...describeError(error) });
}
