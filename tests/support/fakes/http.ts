import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";

/**
 * Shared plumbing for the HTTP fakes: a server on 127.0.0.1 with a random port that records every
 * request, plus a queue of faults the next requests suffer. Each fake decides where in its flow
 * to take a fault (e.g. Azure only after the auth challenge) and how to word error statuses.
 */
export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. /v1/secret/data/app?version=2 */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (Date.now()), for tests about how calls are spread over time. */
  at: number;
}

export interface Fault {
  /** Answer with this HTTP status (and the fake's error body for `code`). */
  status?: number;
  code?: string;
  /** The upstream's error message, for faults whose handling depends on its wording. */
  message?: string;
  retryAfter?: string;
  /** Extra response headers for the fault's answer, e.g. a redirect's Location. */
  headers?: Record<string, string>;
  /** Wait this long before answering (the answer is the fault's, or the normal one). */
  delayMs?: number;
  /** Answer 200 with this body instead of the real one (default: an HTML error page). */
  malformed?: string | true;
  /** Drop the TCP connection with a RST instead of answering. */
  reset?: boolean;
}

/**
 * Kept as runs of one fault and its count, not one entry per request: the bench queues a delay
 * for a million requests, and taking from a million-entry array (shift) cost the fake milliseconds
 * of CPU per request, which the bench then measured as the server's.
 */
export class FaultQueue<F = Fault> {
  private readonly runs: Array<{ fault: F; left: number }> = [];
  private count = 0;

  /** The next `times` requests (that reach this fake's fault point) get `fault`. */
  add(fault: F, times = 1): void {
    if (times <= 0) return;
    this.runs.push({ fault, left: times });
    this.count += times;
  }

  take(): F | undefined {
    const run = this.runs[0];
    if (!run) return undefined;
    if (--run.left === 0) this.runs.shift();
    this.count--;
    return run.fault;
  }

  get pending(): number {
    return this.count;
  }
}

export type FakeHandler = (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => void | Promise<void>;

export interface HttpFake {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startHttpFake(handler: FakeHandler, tls?: { key: string; cert: string }): Promise<HttpFake> {
  const requests: RecordedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      requests.push(recorded);
      Promise.resolve(handler(req, res, recorded)).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) sendJson(res, 599, { fakeError: String(error) });
      });
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  // A client that gave up (timeout test) leaves a dead socket behind; never let that kill the fake.
  server.on("clientError", (_error, socket: Socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * The parts of a fault every HTTP fake handles alike. Returns true when the request is finished
 * (dropped, or answered with a malformed body); false when the fake should answer, either with
 * its error for `fault.status` or normally (a delay-only fault: a slow but good reply).
 */
export async function applyTransportFault(fault: Fault | undefined, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (!fault) return false;
  if (fault.delayMs) await waitUnlessClosed(res, fault.delayMs);
  if (res.destroyed || res.writableEnded) return true;
  if (fault.reset) {
    req.socket.resetAndDestroy();
    return true;
  }
  if (fault.malformed !== undefined) {
    const body = fault.malformed === true ? "<html><body>502 Bad Gateway</body></html>" : fault.malformed;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
    return true;
  }
  return false;
}

function waitUnlessClosed(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once("close", done);
    function done() {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    }
  });
}
