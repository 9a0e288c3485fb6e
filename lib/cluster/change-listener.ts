import pg from "pg";
import { deliverChange } from "@/lib/change-events";
import { describeError, log } from "@/lib/log";
import { CHANGE_CHANNEL, clusterDatabaseUrl, decodeChange, instanceId } from "./channel";

/**
 * Hears the other server processes' change events (see channel.ts) and hands them to this
 * process's listeners. One dedicated connection per process (not from the Prisma pool: a pooled
 * connection would be handed to queries and could be closed by the pool; LISTEN needs it to stay).
 *
 * - A dropped connection (database restart, failover, pg_terminate_backend, network) is detected
 *   by the client's error/end events, or by a heartbeat query that fails or times out (a half-open
 *   TCP connection says nothing), and is re-opened with exponential backoff (0.25 s .. 30 s, jittered).
 * - After every successful (re)connect, local listeners get `{kind: "all"}`: while no connection was
 *   listening, events may have been missed, so every cached value is dropped.
 * - SQLite: nothing to do (one process).
 */
export const LISTENER_APPLICATION_NAME = "provenance-change-listener";

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 30_000;
const HEARTBEAT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

interface ListenerState {
  client?: pg.Client;
  stopped: boolean;
  failures: number;
  reconnectTimer?: NodeJS.Timeout;
  heartbeatTimer?: NodeJS.Timeout;
}

// One per process, whichever bundle starts or stops it.
const globalForListener = globalThis as typeof globalThis & { __provenanceChangeListener?: ListenerState };

/**
 * Starts listening (PostgreSQL only; a second call does nothing). Resolves after the first
 * connection attempt; if that fails, retries carry on in the background and start-up is not held up.
 */
export async function startChangeListener(): Promise<void> {
  const url = clusterDatabaseUrl();
  if (!url || globalForListener.__provenanceChangeListener) return;
  const state: ListenerState = { stopped: false, failures: 0 };
  globalForListener.__provenanceChangeListener = state;
  await connect(state, url);
}

/** Stops listening for good (process exit, tests). */
export async function stopChangeListener(): Promise<void> {
  const state = globalForListener.__provenanceChangeListener;
  if (!state) return;
  globalForListener.__provenanceChangeListener = undefined;
  state.stopped = true;
  clearTimeout(state.reconnectTimer);
  clearInterval(state.heartbeatTimer);
  const client = state.client;
  state.client = undefined;
  await client?.end().catch(() => {});
}

async function connect(state: ListenerState, url: string): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    application_name: LISTENER_APPLICATION_NAME,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // Both may fire for one failure; `lost` acts once per client.
  client.on("error", (error) => lost(state, client, url, error));
  client.on("end", () => lost(state, client, url));
  client.on("notification", (message) => {
    if (message.channel !== CHANGE_CHANNEL) return;
    const decoded = decodeChange(message.payload);
    if (!decoded) return log.warn("ignored a malformed change event", { channel: message.channel });
    if (decoded.instance === instanceId()) return; // our own, already delivered locally
    const listeners = deliverChange(decoded.event);
    log.debug("change event from another instance", { ...decoded.event, from: decoded.instance, listeners });
  });
  state.client = client;
  try {
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
  } catch (error) {
    lost(state, client, url, error);
    return;
  }
  if (state.client !== client) return; // stopped (or lost) meanwhile
  if (state.failures > 0) log.info("listening for changes from other instances again", { instance: instanceId() });
  else log.info("listening for changes from other instances", { instance: instanceId(), channel: CHANGE_CHANNEL });
  state.failures = 0;
  deliverChange({ kind: "all" });
  state.heartbeatTimer = setInterval(() => {
    client.query("SELECT 1").catch((error: unknown) => lost(state, client, url, error));
  }, HEARTBEAT_MS);
  state.heartbeatTimer.unref();
}

function lost(state: ListenerState, client: pg.Client, url: string, error?: unknown): void {
  if (state.client !== client) return; // an old client's late event, or already handled
  state.client = undefined;
  clearInterval(state.heartbeatTimer);
  client.end().catch(() => {}); // its later error/end events return above
  if (state.stopped) return;
  const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(state.failures, 10)) * (0.5 + Math.random() / 2);
  state.failures++;
  log.warn("change listener connection lost; reconnecting", {
    inMs: Math.round(delay),
    attempt: state.failures,
    ...(error ? describeError(error) : {}),
  });
  state.reconnectTimer = setTimeout(() => void connect(state, url), delay);
  state.reconnectTimer.unref();
}
