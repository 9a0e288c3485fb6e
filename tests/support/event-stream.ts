/**
 * Reads a server-sent event stream as a client would (fetch, streamed body), for the watch tests:
 * `next()` waits for the next event (comments are kept apart, so heartbeats can be checked), and
 * `close()` ends the request the way a departing client does.
 */
export interface StreamEvent {
  id: string | null;
  event: string;
  data: string;
}

export interface EventStreamReader {
  status: number;
  headers: Headers;
  /** The error body, when the stream was refused. */
  text: string;
  next(timeoutMs?: number): Promise<StreamEvent>;
  /** Resolves with no event when none arrives within `ms` (to prove something is not sent). */
  none(ms: number): Promise<StreamEvent | null>;
  comments: string[];
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStreamReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const comments: string[] = [];
  const queue: StreamEvent[] = [];
  const waiters: Array<(event: StreamEvent) => void> = [];
  let text = "";
  if (!response.ok || !response.body) {
    text = await response.text();
  } else {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: StreamEvent = { id: null, event: "message", data: "" };
            let isEvent = false;
            for (const line of block.split("\n")) {
              const field = /^(id|event|data): (.*)$/.exec(line);
              if (line.startsWith(":")) comments.push(line.slice(1).trim());
              if (!field) continue;
              isEvent = true;
              if (field[1] === "id") event.id = field[2]!;
              else if (field[1] === "event") event.event = field[2]!;
              else event.data += field[2]!;
            }
            if (!isEvent) continue;
            const waiter = waiters.shift();
            if (waiter) waiter(event);
            else queue.push(event);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  const next = (timeoutMs = 10_000) =>
    new Promise<StreamEvent>((resolve, reject) => {
      const queued = queue.shift();
      if (queued) return resolve(queued);
      const waiter = (event: StreamEvent) => {
        clearTimeout(timer);
        resolve(event);
      };
      const timer = setTimeout(() => {
        // A waiter that gave up must not swallow the next event.
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no event within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  return {
    status: response.status,
    headers: response.headers,
    text,
    next,
    none: (ms) => next(ms).catch(() => null),
    comments,
    close: () => controller.abort(),
  };
}
