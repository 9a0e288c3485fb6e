import net from "node:net";
import { apiContext } from "./context";

/**
 * HTTP/1.1 written by hand, for requests fetch will not send: a Content-Length that lies, or a
 * chunked body with no Content-Length at all. Returns the first response's status and body.
 */
export async function rawRequest(options: {
  method: string;
  path: string;
  body: string;
  /** A number to declare (truthfully or not), or "chunked" to stream without a length. */
  length: number | "chunked";
  token?: string;
}): Promise<{ status: number; text: string }> {
  const { baseUrl, tokens } = apiContext();
  const url = new URL(baseUrl);
  const head = [
    `${options.method} ${options.path} HTTP/1.1`,
    `Host: ${url.host}`,
    `Authorization: Bearer ${options.token ?? tokens.admin}`,
    "Content-Type: application/json",
    options.length === "chunked" ? "Transfer-Encoding: chunked" : `Content-Length: ${options.length}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  const payload = options.length === "chunked" ? chunks(options.body, 8192) : Buffer.from(options.body, "utf8");

  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    socket.setTimeout(20_000, () => socket.destroy(new Error("raw request timed out")));
    socket.on("data", (d) => received.push(d));
    // The server may answer (413) and close before the whole body is written: that is fine.
    socket.on("error", (error) => (received.length > 0 ? finish() : reject(error)));
    socket.on("close", finish);
    socket.write(Buffer.concat([Buffer.from(head, "utf8"), payload]));
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      const text = Buffer.concat(received).toString("utf8");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!match) return reject(new Error(`no HTTP response: ${text.slice(0, 200)}`));
      const bodyStart = text.indexOf("\r\n\r\n");
      const head = bodyStart >= 0 ? text.slice(0, bodyStart) : text;
      const body = bodyStart >= 0 ? text.slice(bodyStart + 4) : "";
      resolve({ status: Number(match[1]), text: /^transfer-encoding:\s*chunked/im.test(head) ? dechunk(body) : body });
    }
  });
}

function chunks(body: string, size: number): Buffer {
  const buffer = Buffer.from(body, "utf8");
  const out: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) {
    const part = buffer.subarray(i, i + size);
    out.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n"));
  }
  out.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(out);
}

function dechunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (lineEnd < 0 || !(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** Starts a request that announces more body than it sends, then hangs up: a client abort. */
export async function abortMidBody(method: string, path: string): Promise<void> {
  const { baseUrl, tokens } = apiContext();
  const url = new URL(baseUrl);
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`,
      () => setTimeout(resolve, 300),
    );
  });
  socket.destroy();
  await new Promise((r) => setTimeout(r, 500));
}
