/**
 * A small closed-loop load generator: `concurrency` keep-alive connections each send requests back
 * to back until `requests` have been answered, timing every one. node:http with a keep-alive agent
 * (one socket per worker) costs the client far less than fetch, so the numbers say more about the
 * server; the generator still shares the machine's cores with it, as a colocated client would.
 */
import http from "node:http";

export interface LoadResult {
  name: string;
  requests: number;
  /** Answers other than 2xx, and requests that failed on the wire. */
  errors: number;
  /** Requests not answered within TIMEOUT_MS (counted in errors too). */
  timeouts: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export interface LoadRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

const TIMEOUT_MS = 10_000;

export async function runLoad(
  name: string,
  request: LoadRequest,
  options: { requests: number; concurrency: number; warmup?: number },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    for (let i = 0; i < (options.warmup ?? 50); i++) await send(agent, request);
    const latencies: number[] = [];
    let errors = 0;
    let timeouts = 0;
    let sent = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (sent < options.requests) {
          sent++;
          const t0 = performance.now();
          const outcome = await send(agent, request);
          latencies.push(performance.now() - t0);
          if (outcome !== "ok") errors++;
          if (outcome === "timeout") timeouts++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return {
      name,
      requests: latencies.length,
      errors,
      timeouts,
      seconds,
      perSecond: latencies.length / seconds,
      p50: at(0.5),
      p99: at(0.99),
    };
  } finally {
    agent.destroy();
  }
}

/** One request; "ok" for a 2xx answer read to the end. */
export function send(agent: http.Agent, request: LoadRequest): Promise<"ok" | "error" | "timeout"> {
  return new Promise((resolve) => {
    const outgoing = http.request(
      request.url,
      { method: request.method ?? "GET", headers: request.headers, agent, timeout: TIMEOUT_MS },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode! >= 200 && response.statusCode! < 300 ? "ok" : "error"));
        response.on("error", () => resolve("error"));
      },
    );
    outgoing.on("timeout", () => {
      outgoing.destroy();
      resolve("timeout");
    });
    outgoing.on("error", () => resolve("error"));
    outgoing.end(request.body);
  });
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(rows[0]!),
    `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|")}|`,
    ...rows.slice(1).map(line),
  ].join("\n");
}
