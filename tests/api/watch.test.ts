import { beforeAll, describe, expect, it } from "vitest";
import { openEventStream, type StreamEvent } from "../support/event-stream";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";

/**
 * GET /api/secrets/watch: change events for secrets created, edited and deleted under a prefix,
 * scope-limited, never with a value; resumable with Last-Event-ID; heartbeats. Runs through the
 * fast path and (route-handler project) through Next's route handler.
 */
interface ChangeData {
  secretPath: string;
  version: string | null;
  fingerprint: string | null;
  changedAt: string;
  change: string;
}

let prefix: string;

const watch = (query: string, token = apiContext().tokens.editor, headers: Record<string, string> = {}) =>
  openEventStream(`${apiContext().baseUrl}/api/secrets/watch${query}`, { authorization: `Bearer ${token}`, ...headers });

const data = (event: StreamEvent) => JSON.parse(event.data) as ChangeData;

async function create(path: string, value: string): Promise<string> {
  const created = await call<{ id: string }>("/api/secrets", { method: "POST", body: { secretPath: path, value } });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

beforeAll(() => {
  prefix = unique("watch").replace(/-/g, "");
});

describe("change events", () => {
  it("sends created, updated and deleted for its prefix only, with version and fingerprint, never the value", async () => {
    const stream = await watch(`?prefix=${prefix}.app`);
    try {
      expect(stream.status, stream.text).toBe(200);
      expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(stream.headers.get("cache-control")).toBe("no-store");

      await create(`${prefix}.other.key`, "not-watched-value");
      const id = await create(`${prefix}.app.key`, "first-value-w1");
      const created = await stream.next();
      expect(created.event).toBe("change");
      expect(data(created)).toMatchObject({ secretPath: `${prefix}.app.key`, version: "1", change: "created" });
      expect(data(created).fingerprint).toMatch(/^hmac-sha256:/);

      expect((await call(`/api/secrets/${id}`, { method: "PATCH", body: { value: "second-value-w2" } })).status).toBe(200);
      const updated = await stream.next();
      expect(data(updated)).toMatchObject({ secretPath: `${prefix}.app.key`, version: "2", change: "updated" });
      expect(data(updated).fingerprint).not.toBe(data(created).fingerprint);
      expect(Number(updated.id)).toBeGreaterThan(Number(created.id));

      expect((await call(`/api/secrets/${id}`, { method: "DELETE" })).status).toBe(204);
      expect(data(await stream.next())).toMatchObject({
        secretPath: `${prefix}.app.key`,
        change: "deleted",
        version: null,
        fingerprint: null,
      });

      for (const event of [created, updated]) {
        expect(event.data).not.toContain("first-value-w1");
        expect(event.data).not.toContain("second-value-w2");
      }
      expect(await stream.none(1_000)).toBeNull();
    } finally {
      stream.close();
    }
  });

  it("a path renamed out of the prefix is a deletion there, and a creation where it went", async () => {
    const stream = await watch(`?prefix=${prefix}.rename`);
    try {
      const id = await create(`${prefix}.rename.from`, "v");
      expect(data(await stream.next())).toMatchObject({ secretPath: `${prefix}.rename.from`, change: "created" });
      expect((await call(`/api/secrets/${id}`, { method: "PATCH", body: { secretPath: `${prefix}.rename.to` } })).status).toBe(200);
      const [first, second] = [data(await stream.next()), data(await stream.next())];
      expect([first, second]).toEqual([
        expect.objectContaining({ secretPath: `${prefix}.rename.from`, change: "deleted" }),
        expect.objectContaining({ secretPath: `${prefix}.rename.to`, change: "created", version: "2" }),
      ]);
    } finally {
      stream.close();
    }
  });

  it("a scoped token hears only what its scope covers, whatever prefix it asks for", async () => {
    const stream = await watch("?prefix=", apiContext().tokens.scopedEditor);
    try {
      expect(stream.status, stream.text).toBe(200);
      await create(`${prefix}.outside.key`, "v");
      const inside = `stripe.${prefix}watch`;
      await create(inside, "v");
      expect(data(await stream.next())).toMatchObject({ secretPath: inside });
    } finally {
      stream.close();
    }
  });
});

describe("resuming", () => {
  it("Last-Event-ID sends every event after it, then live ones", async () => {
    const first = await watch(`?prefix=${prefix}.resume`);
    await create(`${prefix}.resume.one`, "v");
    const seen = await first.next();
    first.close();

    await create(`${prefix}.resume.two`, "v");
    await create(`${prefix}.resume.three`, "v");
    const again = await watch(`?prefix=${prefix}.resume`, apiContext().tokens.editor, { "last-event-id": seen.id! });
    try {
      expect(data(await again.next()).secretPath).toBe(`${prefix}.resume.two`);
      expect(data(await again.next()).secretPath).toBe(`${prefix}.resume.three`);
      await create(`${prefix}.resume.four`, "v");
      expect(data(await again.next()).secretPath).toBe(`${prefix}.resume.four`);
    } finally {
      again.close();
    }
  });
});

describe("refusals and heartbeats", () => {
  it("viewers may not watch (they may not resolve); a bad prefix or Last-Event-ID is a 400", async () => {
    const viewer = await watch(`?prefix=${prefix}`, apiContext().tokens.viewer);
    expect(viewer.status).toBe(403);
    const badPrefix = await watch("?prefix=not..valid");
    expect(badPrefix.status).toBe(400);
    expect(JSON.parse(badPrefix.text).error.fields.prefix).toBeTruthy();
    const badId = await watch(`?prefix=${prefix}`, apiContext().tokens.editor, { "last-event-id": "abc" });
    expect(badId.status).toBe(400);
    const anonymous = await openEventStream(`${apiContext().baseUrl}/api/secrets/watch?prefix=${prefix}`, {});
    expect(anonymous.status).toBe(401);
  });

  it("sends a comment line at least every 15 seconds", async () => {
    const stream = await watch(`?prefix=${prefix}.quiet`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      expect(stream.comments).toContain("keepalive");
    } finally {
      stream.close();
    }
  }, 30_000);
});
