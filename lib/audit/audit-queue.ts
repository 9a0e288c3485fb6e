import { db, type Db } from "@/lib/db/client";
import type { AuditRow } from "./audit-event-view";
import { streamAuditEvents } from "./audit-stream";
import { processShared } from "@/lib/process-shared";

/**
 * Group commit for audit rows written outside a caller's transaction (every resolve writes one).
 * On SQLite each write takes the database's single write lock, so one insert per request made
 * writes queue behind each other under load. Here one writer runs at a time: rows that arrive
 * while a write is in flight wait and all go into the next write, one transaction however many
 * requests they came from. Each caller's promise settles with its group: it resolves once the
 * rows are committed and rejects if the write failed, so a read is never answered unaudited.
 * With nothing in flight a row is written at once (on the next turn of the event loop, which
 * also gathers the requests that arrived together), so an idle server adds no wait.
 *
 * Shutdown: a row is acknowledged only once it is committed, so an exit cannot lose an
 * acknowledged row. Rows still waiting belong to requests not yet answered; on SIGTERM Next stops
 * accepting connections and lets requests in flight finish before it exits, and their rows are
 * written on the way. Any other server loop that ends the process itself should first await
 * drainAuditQueue().
 */

/** 12 columns a row: 6,000 bound variables a statement, well under SQLite's 32,766 and PostgreSQL's 65,535. */
export const AUDIT_ROWS_PER_STATEMENT = 500;

type AuditClient = Pick<Db, "auditEvent">;

interface Waiter {
  rows: AuditRow[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface QueueState {
  waiting: Waiter[];
  writing: boolean;
  scheduled: boolean;
  /** Callers of drainAuditQueue, told when nothing waits and nothing is being written. */
  idle: Array<() => void>;
  /** Writes done (committed or failed) and statements they took; for tests and diagnostics. */
  groups: number;
  statements: number;
}

// One per process (lib/process-shared.ts): Next loads lib/ once for the route handlers and once for
// instrumentation, and both copies must feed the same queue (one writer per process).
function queue(): QueueState {
  return processShared("audit.queue", (): QueueState => ({
    waiting: [],
    writing: false,
    scheduled: false,
    idle: [],
    groups: 0,
    statements: 0,
  }));
}

/** Queues rows for the next group write; resolves once they are committed, rejects if that write failed. */
export function enqueueAuditRows(rows: AuditRow[]): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  const state = queue();
  return new Promise<void>((resolve, reject) => {
    state.waiting.push({ rows, resolve, reject });
    scheduleWrite(state);
  });
}

/** Inserts rows through `client` (a caller's transaction, or the pool), at most AUDIT_ROWS_PER_STATEMENT a statement. */
export async function insertAuditRows(client: AuditClient, rows: AuditRow[]): Promise<void> {
  for (const chunk of chunks(rows)) await client.auditEvent.createMany({ data: chunk });
}

/** Resolves when every queued row has been written (or has failed): for shutdown hooks and tests. */
export async function drainAuditQueue(): Promise<void> {
  const state = queue();
  if (state.writing || state.waiting.length > 0) await new Promise<void>((resolve) => state.idle.push(resolve));
}

export function auditQueueStats(): { groups: number; statements: number } {
  const { groups, statements } = queue();
  return { groups, statements };
}

/** Audit rows waiting for the next group write (GET /api/metrics). */
export function auditQueueDepth(): number {
  return queue().waiting.reduce((sum, waiter) => sum + waiter.rows.length, 0);
}

function scheduleWrite(state: QueueState): void {
  if (state.writing || state.scheduled) return;
  state.scheduled = true;
  setImmediate(() => void writeGroup(state));
}

async function writeGroup(state: QueueState): Promise<void> {
  state.scheduled = false;
  if (state.writing || state.waiting.length === 0) return;
  state.writing = true;
  const group = state.waiting.splice(0);
  const rows = group.flatMap((waiter) => waiter.rows);
  const statements = chunks(rows);
  try {
    // One transaction for the group, so that it commits or fails as one: every waiter hears the same answer.
    if (statements.length === 1) await db().auditEvent.createMany({ data: statements[0]! });
    else await db().$transaction(statements.map((chunk) => db().auditEvent.createMany({ data: chunk })));
    state.groups++;
    state.statements += statements.length;
    streamAuditEvents(rows);
    for (const waiter of group) waiter.resolve();
  } catch (error) {
    state.groups++;
    for (const waiter of group) waiter.reject(error);
  } finally {
    state.writing = false;
    if (state.waiting.length > 0) scheduleWrite(state);
    else for (const done of state.idle.splice(0)) done();
  }
}

function chunks(rows: AuditRow[]): AuditRow[][] {
  const out: AuditRow[][] = [];
  for (let i = 0; i < rows.length; i += AUDIT_ROWS_PER_STATEMENT) out.push(rows.slice(i, i + AUDIT_ROWS_PER_STATEMENT));
  return out;
}
