import { randomBytes } from "node:crypto";
import { CHANGE_KINDS, type ChangeEvent, type ChangeKind } from "@/lib/change-events";
import { parseDatabaseUrl } from "@/lib/db/url";
import { env } from "@/lib/env";

/**
 * The wire format of cross-instance change events: PostgreSQL `NOTIFY provenance_changes` with a
 * JSON payload `{"kind":"secret"|"connection"|"token"|"user"|"all","id":"…","instance":"…"}`. `instance` names the
 * sending process, so a process ignores the echo of its own events (LISTEN hears its own NOTIFYs).
 * Payloads carry ids only, never names, paths or values.
 */
export const CHANGE_CHANNEL = "provenance_changes";

export interface ChangeMessage {
  event: ChangeEvent;
  instance: string;
}

// On globalThis so that every bundle of this process (instrumentation, route handlers) agrees.
const globalForInstance = globalThis as typeof globalThis & { __provenanceInstanceId?: string };

/** This process's id for the channel: random per process start. */
export function instanceId(): string {
  return (globalForInstance.__provenanceInstanceId ??= `${process.pid}-${randomBytes(6).toString("hex")}`);
}

/** Cross-instance events need PostgreSQL; SQLite is one process by design. */
export function clusterDatabaseUrl(): string | undefined {
  const target = parseDatabaseUrl(env().DATABASE_URL);
  return target.dialect === "postgres" ? target.url : undefined;
}

export function encodeChange(event: ChangeEvent): string {
  return JSON.stringify({ ...event, instance: instanceId() });
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Parses a payload; anything malformed (anyone with database access can NOTIFY) gives undefined. */
export function decodeChange(payload: string | undefined): ChangeMessage | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(payload ?? "");
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const { kind, id, instance } = raw as Record<string, unknown>;
  if (typeof instance !== "string" || instance.length === 0 || instance.length > 100) return undefined;
  if (kind === "all") return { event: { kind }, instance };
  if (isChangeKind(kind) && typeof id === "string" && ID.test(id)) return { event: { kind, id }, instance };
  return undefined;
}

function isChangeKind(kind: unknown): kind is ChangeKind {
  return (CHANGE_KINDS as readonly unknown[]).includes(kind);
}
