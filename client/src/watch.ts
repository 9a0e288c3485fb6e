import { ProvenanceError } from "./errors.js";
import type { OpenStream } from "./transport.js";

/** One `change` event of GET /api/secrets/watch: never a value. */
export interface SecretChange {
  /** The event id; the stream resumes after it on reconnect. */
  id: string;
  secretPath: string;
  version: string | null;
  fingerprint: string | null;
  changedAt: string;
  change: "created" | "updated" | "deleted" | string;
}

export interface WatchOptions {
  /** Called when the stream fails; it reconnects by itself unless the server refused (401, 403, 400). */
  onError?: (error: ProvenanceError) => void;
}

export interface Watch {
  close(): void;
}

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * Follows the watch stream for a prefix: calls `onChange` for each event, reconnects after a
 * dropped connection with Last-Event-ID (so nothing within the server's hour is missed), backing
 * off from 1 s to 30 s, and stops for good on a refusal (a revoked token, a bad prefix).
 */
export function followWatch(open: OpenStream, prefix: string, onChange: (change: SecretChange) => void, options: WatchOptions = {}): Watch {
  const controller = new AbortController();
  let lastEventId: string | null = null;
  let delay = RETRY_MIN_MS;

  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const body = await open(
          `/api/secrets/watch?prefix=${encodeURIComponent(prefix)}`,
          lastEventId ? { "last-event-id": lastEventId } : {},
          controller.signal,
        );
        delay = RETRY_MIN_MS;
        for await (const event of readEvents(body)) {
          if (event.event !== "change") continue;
          if (event.id) lastEventId = event.id;
          try {
            onChange({ ...(JSON.parse(event.data) as Omit<SecretChange, "id">), id: event.id ?? "" });
          } catch {
            // A listener's own failure must not end the watch.
          }
        }
        if (controller.signal.aborted) return;
        throw new ProvenanceError("unreachable", "The watch stream ended; reconnecting.");
      } catch (error) {
        if (controller.signal.aborted) return;
        const failure =
          error instanceof ProvenanceError ? error : new ProvenanceError("unreachable", `The watch stream failed: ${String(error)}`);
        options.onError?.(failure);
        if (failure.status !== null && failure.status < 500 && failure.status !== 429) return;
        await sleep(delay, controller.signal);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  };
  void run();
  return { close: () => controller.abort() };
}

interface RawEvent {
  id: string | null;
  event: string;
  data: string;
}

/** Server-sent events from a byte stream (comments and retry hints are skipped). */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<RawEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: RawEvent = { id: null, event: "message", data: "" };
        let fields = 0;
        for (const line of block.split("\n")) {
          const colon = line.indexOf(":");
          if (colon === 0) continue;
          const name = colon === -1 ? line : line.slice(0, colon);
          const text = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (name === "id") event.id = text;
          else if (name === "event") event.event = text;
          else if (name === "data") event.data = event.data ? `${event.data}\n${text}` : text;
          else continue;
          fields++;
        }
        if (fields > 0) yield event;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
