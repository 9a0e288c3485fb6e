import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser } from "./browser";
import { apiContext } from "./context";
import { recordForLeakScan } from "./leak-recorder";

/**
 * Server actions called over HTTP the way the dashboard's browser code calls them: a POST to a
 * page with `Next-Action: <id>` (ids from the build's manifest), the session cookie, our own
 * Origin, and the arguments encoded by React's own `encodeReply`. The answer is React's flight
 * format; `decodeActionResult` reads the action's return value out of it, marking any value the
 * server failed to serialize (a browser's decoder would reject the whole result).
 */
const ROOT = path.resolve(__dirname, "../../..");
const MANIFEST = path.join(ROOT, ".next/standalone/.next/server/server-reference-manifest.json");

export interface ServerAction {
  id: string;
  name: string;
  file: string;
  /** A page that uses the action, as a URL path template (`[id]` still in it). */
  page: string;
}

export function serverActions(): ServerAction[] {
  const manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers).sort((a, b) => a.length - b.length)[0]!;
    const page = `/${worker
      .replace(/^app\//, "")
      .replace(/\/page$/, "")
      .replace(/\(\w+\)\//g, "")}`.replace(/^\/page$/, "/");
    return { id, name: entry.exportedName, file: entry.filename, page };
  });
}

// React's reply encoder, as bundled with Next (the same code the browser runs).
const reactClient = createRequire(import.meta.url)(
  path.join(ROOT, "node_modules/next/dist/compiled/react-server-dom-webpack/client.node.js"),
) as {
  encodeReply(value: unknown): Promise<string | FormData>;
};

export interface ActionResponse {
  status: number;
  contentType: string;
  text: string;
  /** The action's return value, or undefined when the response carries none. */
  result: unknown;
}

export async function callAction(browser: Browser, action: ServerAction, page: string, args: unknown[]): Promise<ActionResponse> {
  const body = await reactClient.encodeReply(args);
  const origin = apiContext().baseUrl;
  const headers: Record<string, string> = { "next-action": action.id, origin, accept: "text/x-component" };
  if (browser.cookies.size > 0) headers.cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  if (typeof body === "string") headers["content-type"] = "text/plain;charset=UTF-8";
  const response = await fetch(`${origin}${page}`, { method: "POST", headers, body, redirect: "manual" });
  const text = await response.text();
  recordForLeakScan("POST", page, undefined, response, text, headers);
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text, result: decodeActionResult(text) };
}

/** A value the server could not serialize: `E` rows in the flight stream. */
export const FLIGHT_ERROR = Symbol("flight error");

/** Enough of React's flight format to read a plain-data action result: row 0's `a` → its row. */
export function decodeActionResult(text: string): unknown {
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  const row0 = rows.get("0");
  if (!row0 || !row0.startsWith("{")) return undefined;
  const root = JSON.parse(row0) as { a?: unknown };
  const resolve = (value: unknown, depth = 0): unknown => {
    if (depth > 50) return value;
    if (typeof value === "string" && value.startsWith("$")) {
      if (value.startsWith("$$")) return value.slice(1);
      if (value === "$undefined") return undefined;
      const ref = /^\$@?([0-9a-f]+)$/.exec(value);
      if (!ref) return value;
      const row = rows.get(ref[1]!);
      if (row === undefined) return value;
      if (row.startsWith("E")) return FLIGHT_ERROR;
      return resolve(JSON.parse(row), depth + 1);
    }
    if (Array.isArray(value)) return value.map((v) => resolve(v, depth + 1));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, depth + 1)]));
    return value;
  };
  return resolve(root.a);
}

/** Whether the decoded value holds anything the server failed to serialize. */
export function containsFlightError(value: unknown): boolean {
  if (value === FLIGHT_ERROR) return true;
  if (Array.isArray(value)) return value.some(containsFlightError);
  if (value && typeof value === "object") return Object.values(value).some(containsFlightError);
  return false;
}
