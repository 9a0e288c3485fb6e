import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { openEventStream } from "../support/event-stream";
import { Browser } from "./support/browser";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";

/**
 * Bearer-token resolves are answered by the fast path in front of Next (lib/api/fast-path.ts) on
 * the sqlite and postgres projects, and by Next's route handler on the route-handler project. The
 * two doors must be indistinguishable to a client: same status, body shape, error shape and
 * headers. The request log says which door answered, so these tests know which one they reached.
 */
const RESOLVE = "/api/secrets/resolve";

interface RequestLine {
  message: string;
  requestId?: string;
  door?: string;
}

/** The server's request-log line for a response, found by its X-Request-Id. */
async function logLineFor(requestId: string | null): Promise<RequestLine> {
  expect(requestId).toBeTruthy();
  for (let attempt = 0; attempt < 50; attempt++) {
    const line = readFileSync(apiContext().logFiles[0]!, "utf8")
      .split("\n")
      .filter((text) => text.includes(requestId!))
      .map((text) => JSON.parse(text) as RequestLine)
      .find((entry) => entry.message === "request");
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no request log line for ${requestId}`);
}

function expectedDoor(): string | undefined {
  return apiContext().door === "fast-path" ? "fast" : undefined;
}

let secretPath: string;

beforeAll(async () => {
  secretPath = `${unique("fastpath")}.key`;
  const created = await call("/api/secrets", { method: "POST", body: { secretPath, value: "fast-path-value" } });
  expect(created.status, created.text).toBe(201);
});

describe("which door answers", () => {
  it("a bearer-token GET resolve: the fast path on a Node server (the route handler when it is off)", async () => {
    const response = await call<{ value: string }>(`${RESOLVE}?path=${secretPath}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body.value).toBe("fast-path-value");
    expect((await logLineFor(response.headers.get("x-request-id"))).door).toBe(expectedDoor());
  });

  it("a bearer-token batch resolve takes the same door", async () => {
    const response = await call<{ values: Record<string, string> }>(RESOLVE, { method: "POST", body: { paths: [secretPath] } });
    expect(response.status, response.text).toBe(200);
    expect(response.body.values[secretPath]).toBe("fast-path-value");
    expect((await logLineFor(response.headers.get("x-request-id"))).door).toBe(expectedDoor());
  });

  it("a bearer-token watch stream takes the same door", async () => {
    const stream = await openEventStream(`${apiContext().baseUrl}/api/secrets/watch?prefix=fastpath`, {
      authorization: `Bearer ${apiContext().tokens.editor}`,
    });
    try {
      expect(stream.status, stream.text).toBe(200);
      expect((await logLineFor(stream.headers.get("x-request-id"))).door).toBe(expectedDoor());
    } finally {
      stream.close();
    }
  });

  it("a signed-in user's resolve always goes through Next (cookies and the same-origin check live there)", async () => {
    const browser = new Browser();
    const { admin, baseUrl } = apiContext();
    expect((await browser.signIn(admin.email, admin.password)).status).toBeLessThan(400);
    const response = await browser.request(`${RESOLVE}?path=${secretPath}`, { headers: { origin: baseUrl } });
    expect(response.status, response.text).toBe(200);
    expect((await logLineFor(response.headers.get("x-request-id"))).door).toBeUndefined();
  });

  it("methods the endpoint does not serve still get Next's 405 with Allow", async () => {
    const response = await call(RESOLVE, { method: "PUT", body: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
    expect((response.body as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });
});

describe("the fast path answers as Next does", () => {
  it("carries next.config's security headers and the API's own", async () => {
    const response = await call(`${RESOLVE}?path=${secretPath}`);
    const other = await call("/api/secrets?prefix=fastpath");
    for (const name of [
      "content-security-policy",
      "x-frame-options",
      "x-content-type-options",
      "referrer-policy",
      "permissions-policy",
      "cache-control",
      "content-type",
    ]) {
      expect(response.headers.get(name), name).toBe(other.headers.get(name));
    }
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("errors keep the contract's shape: bad token, missing path, bad JSON, oversized body", async () => {
    const unauthorized = await call(`${RESOLVE}?path=${secretPath}`, { token: "pvt_not-a-real-token" });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("www-authenticate")).toBe('Bearer realm="provenance"');
    expect((unauthorized.body as { error: { code: string } }).error.code).toBe("unauthorized");

    const missing = await call(RESOLVE);
    expect(missing.status).toBe(400);
    expect((missing.body as { error: { fields: Record<string, string> } }).error.fields.path).toBeTruthy();

    const badJson = await call(RESOLVE, { method: "POST", body: "{not json" });
    expect(badJson.status).toBe(400);
    expect((badJson.body as { error: { code: string } }).error.code).toBe("invalid_json");

    const tooLarge = await call(RESOLVE, { method: "POST", body: JSON.stringify({ paths: ["a".repeat(70 * 1024)] }) });
    expect(tooLarge.status).toBe(413);
    expect((tooLarge.body as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("a viewer token is refused with 403", async () => {
    const response = await call(`${RESOLVE}?path=${secretPath}`, { token: apiContext().tokens.viewer });
    expect(response.status).toBe(403);
    expect((response.body as { error: { code: string } }).error.code).toBe("forbidden");
  });
});
