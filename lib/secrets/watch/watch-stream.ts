import type { Actor } from "@/lib/auth/actor";
import { scopeAllows } from "@/lib/auth/scope";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError, validationError } from "@/lib/errors";
import { isValidPrefix, matchesPrefix } from "../secret-path";
import { changesAfter, type SecretChangeRow } from "./change-log";
import { watchHub } from "./watch-hub";
import { processShared } from "@/lib/process-shared";

/**
 * GET /api/secrets/watch?prefix=P: server-sent events, one `change` event per secret created,
 * edited or deleted under P that the caller's scope covers, with `{secretPath, version,
 * fingerprint, changedAt, change}` and never a value. A comment line every HEARTBEAT_MS keeps
 * proxies from closing an idle stream. The event id is the change log's id: reconnecting with
 * `Last-Event-ID` first sends every event after it (within the last hour), then live ones.
 */
const HEARTBEAT_MS = 10_000;
/** Streams one caller may hold open on one instance: a stream is cheap, but not free. */
const STREAMS_PER_CALLER = 16;
const REPLAY_LIMIT = 10_000;

// One count per process (lib/process-shared.ts): a stream opened through the fast path and one
// opened through Next's route count against the same bound.
const openStreams = processShared("watch.openStreams", () => new Map<string, number>());

export async function openWatchStream(options: { actor: Actor; prefix: string; lastEventId: string | null }): Promise<Response> {
  const { actor } = options;
  const prefix = options.prefix;
  if (!isValidPrefix(prefix)) throw validationError({ prefix: "Must be a dotted secret path such as stripe (or empty for every secret)" });
  const resumeAfter = parseLastEventId(options.lastEventId);
  const caller = `${actor.kind}:${actor.id}`;
  if ((openStreams.get(caller) ?? 0) >= STREAMS_PER_CALLER) {
    throw new AppError("rate_limited", `At most ${STREAMS_PER_CALLER} watch streams per caller may be open at once; close one first.`, {
      retryAfterSeconds: 5,
    });
  }

  const wants = (secretPath: string) => matchesPrefix(secretPath, prefix) && scopeAllows(actor.scope, secretPath);
  await recordAudit({
    actor,
    action: "secret.watch",
    target: { type: "secret", label: `${prefix || "(all)"}.*` },
    outcome: "success",
    details: { resumed: resumeAfter !== null },
  });

  const encoder = new TextEncoder();
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      openStreams.set(caller, (openStreams.get(caller) ?? 0) + 1);
      // Set once subscribed; close() may run before that (a client gone at once).
      const subscription = {
        leave: undefined as (() => void) | undefined,
        heartbeat: undefined as ReturnType<typeof setInterval> | undefined,
      };
      let closed = false;
      close = () => {
        if (closed) return;
        closed = true;
        clearInterval(subscription.heartbeat);
        subscription.leave?.();
        const left = (openStreams.get(caller) ?? 1) - 1;
        if (left > 0) openStreams.set(caller, left);
        else openStreams.delete(caller);
      };
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close(); // the stream was closed under us
        }
      };
      const sent = new Set<number>();
      const send = (row: SecretChangeRow) => {
        if (sent.has(row.id)) return;
        sent.add(row.id);
        if (sent.size > 10_000) sent.clear(); // live ids only grow; the set only guards the replay overlap
        write(formatEvent(row));
      };
      // Subscribed before the replay is read, so nothing committed in between is missed; live
      // events are held until the replay is out, then sent in order without repeats.
      let replaying = true;
      const held: SecretChangeRow[] = [];
      subscription.leave = await watchHub().add({ wants, send: (row) => (replaying ? held.push(row) : send(row)) });
      if (closed) return subscription.leave();
      subscription.heartbeat = setInterval(() => write(": keepalive\n\n"), HEARTBEAT_MS);
      subscription.heartbeat.unref();

      write("retry: 3000\n: connected\n\n");
      if (resumeAfter !== null) {
        for (const row of await changesAfter(resumeAfter, REPLAY_LIMIT)) if (wants(row.secretPath)) send(row);
      }
      replaying = false;
      for (const row of held.sort((a, b) => a.id - b.id)) send(row);
      held.length = 0;
    },
    cancel() {
      close();
    },
  });

  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      // Proxies that buffer responses (nginx) would hold events back.
      "X-Accel-Buffering": "no",
    },
  });
}

function formatEvent(row: SecretChangeRow): string {
  const data = {
    secretPath: row.secretPath,
    version: row.version,
    fingerprint: row.fingerprint,
    changedAt: row.changedAt.toISOString(),
    change: row.kind,
  };
  return `id: ${row.id}\nevent: change\ndata: ${JSON.stringify(data)}\n\n`;
}

function parseLastEventId(value: string | null): number | null {
  if (value === null || value.trim() === "") return null;
  if (!/^\d{1,15}$/.test(value.trim()))
    throw validationError({ "Last-Event-ID": "Must be the id of an event this stream sent (a whole number)" });
  return Number(value.trim());
}
