import { describe, expect, it } from "vitest";
import { call, unique, type ApiResponse } from "./support/client";
import { apiContext } from "./support/context";

interface Secret {
  id: string;
  secretPath: string;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/** A path base with `_` in it: the database's coarse prefix match (LIKE) reads `_` as any character. */
const base = (label: string) => unique(`pg_${label}`).replace(/[^A-Za-z0-9_-]/g, "-");

async function createStored(secretPath: string) {
  const response = await call<Secret>("/api/secrets", {
    method: "POST",
    token: apiContext().tokens.editor,
    body: { secretPath, value: `v-${secretPath}` },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

async function createAll(paths: string[]) {
  for (const secretPath of paths) await createStored(secretPath);
}

/**
 * Paths the database's coarse match lets through but the exact rule must drop: `_` read as
 * a wildcard, and (on SQLite, where LIKE ignores case) an upper-case twin. Both sort before the
 * real ones, so the first rows a page reads are rows it may not show.
 */
function nearMisses(prefix: string, leaves: string[]): string[] {
  return leaves.flatMap((leaf) => [`${prefix.replace("_", "X")}.${leaf}`, `${prefix.toUpperCase()}.${leaf}`]);
}

const paths = (secrets: Secret[]) => secrets.map((s) => s.secretPath);

/** The next page's address from the Link header, checked against X-Next-Cursor; null on the last page. */
function nextLink(response: ApiResponse): string | null {
  const link = response.headers.get("link");
  const cursor = response.headers.get("x-next-cursor");
  if (link === null) {
    expect(cursor).toBeNull();
    return null;
  }
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  expect(match, link).not.toBeNull();
  const next = new URL(match![1]!, apiContext().baseUrl);
  expect(next.pathname).toBe("/api/secrets");
  expect(next.searchParams.get("cursor")).toBe(cursor);
  return `${next.pathname}${next.search}`;
}

/** Follows Link headers from `first` to the end; returns every page. */
async function walk(first: string, token?: string): Promise<Secret[][]> {
  const pages: Secret[][] = [];
  let next: string | null = first;
  while (next !== null) {
    const response: ApiResponse<Secret[]> = await call<Secret[]>(next, { token });
    expect(response.status, response.text).toBe(200);
    expect(Array.isArray(response.body)).toBe(true);
    pages.push(response.body);
    next = nextLink(response);
    expect(pages.length).toBeLessThan(100);
  }
  return pages;
}

describe("GET /api/secrets pages (limit, cursor)", () => {
  it("covers the prefix's whole list exactly once, in order, in full pages, with the filters carried over", async () => {
    const prefix = base("walk");
    const leaves = Array.from({ length: 23 }, (_, i) => `s${String(i).padStart(2, "0")}`);
    await createAll(nearMisses(prefix, leaves.slice(0, 6)));
    await createAll([...leaves].reverse().map((leaf) => `${prefix}.${leaf}`));

    const whole = await call<Secret[]>(`/api/secrets?prefix=${prefix}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("link")).toBeNull();
    expect(paths(whole.body).sort()).toEqual(leaves.map((leaf) => `${prefix}.${leaf}`));

    const pages = await walk(`/api/secrets?prefix=${prefix}&limit=5`);
    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
    expect(paths(pages.flat())).toEqual(paths(whole.body));
    expect(new Set(pages.flat().map((s) => s.id)).size).toBe(23);
  });

  it("sends no next link when the last page is exactly full", async () => {
    const prefix = base("exact");
    await createAll(["a", "b", "c", "d"].map((leaf) => `${prefix}.${leaf}`));
    const pages = await walk(`/api/secrets?prefix=${prefix}&limit=2`);
    expect(pages.map(paths)).toEqual([
      [`${prefix}.a`, `${prefix}.b`],
      [`${prefix}.c`, `${prefix}.d`],
    ]);
  });

  it("gives a scoped token full pages of its own secrets only, skipping what lies between", async () => {
    const prefix = base("scope");
    const inside = ["in.a", "in.b", "in.c", "in.d", "in.e", "in.f", "in.g", "solo"].map((leaf) => `${prefix}.${leaf}`);
    const outside = ["a", "in", "inx.a", "mid.a", "mid.b", "mid.c", "mid.d", "solo.x", "zz"].map((leaf) => `${prefix}.${leaf}`);
    await createAll([...nearMisses(`${prefix}.in`, ["a", "b", "c", "d", "e"]), ...outside, ...inside]);
    const created = await call<{ token: string }>("/api/tokens", {
      method: "POST",
      body: { name: unique("pages scoped"), role: "viewer", scope: `${prefix}.in.*,${prefix}.solo` },
    });
    expect(created.status, created.text).toBe(201);
    const token = created.body.token;

    const pages = await walk("/api/secrets?limit=3", token);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(paths(pages.flat())).toEqual(paths((await call<Secret[]>(`/api/secrets?prefix=${prefix}`, { token })).body));
    expect(paths(pages.flat()).sort()).toEqual([...inside].sort());

    // With a prefix as well: the intersection, still in full pages.
    const prefixed = await walk(`/api/secrets?prefix=${prefix}.in&limit=4`, token);
    expect(prefixed.map((page) => page.length)).toEqual([4, 3]);
    expect(paths(prefixed.flat()).sort()).toEqual(inside.filter((p) => p.startsWith(`${prefix}.in.`)).sort());
  });

  it("continues after a cursor whose secret was deleted meanwhile", async () => {
    const prefix = base("gone");
    await createAll(["a", "b", "c", "d", "e"].map((leaf) => `${prefix}.${leaf}`));
    const first = await call<Secret[]>(`/api/secrets?prefix=${prefix}&limit=2`);
    expect(paths(first.body)).toEqual([`${prefix}.a`, `${prefix}.b`]);
    const next = nextLink(first)!;
    expect((await call(`/api/secrets/${first.body[1]!.id}`, { method: "DELETE", token: apiContext().tokens.editor })).status).toBe(204);
    const second = await call<Secret[]>(next);
    expect(paths(second.body)).toEqual([`${prefix}.c`, `${prefix}.d`]);
  });

  it("takes limits from 1 to 1000 and refuses others with fields.limit", async () => {
    const prefix = base("limits");
    await createAll(["a", "b"].map((leaf) => `${prefix}.${leaf}`));
    const one = await call<Secret[]>(`/api/secrets?prefix=${prefix}&limit=1`);
    expect(one.status).toBe(200);
    expect(paths(one.body)).toEqual([`${prefix}.a`]);
    expect(nextLink(one)).not.toBeNull();
    const most = await call<Secret[]>(`/api/secrets?prefix=${prefix}&limit=1000`);
    expect(paths(most.body)).toEqual([`${prefix}.a`, `${prefix}.b`]);
    expect(nextLink(most)).toBeNull();

    for (const limit of ["0", "1001", "-1", "abc", "2.5", "1e2", "", "%20"]) {
      const response = await call<ErrorBody>(`/api/secrets?limit=${limit}`);
      expect(response.status, limit).toBe(400);
      expect(response.body.error.code).toBe("validation_error");
      expect(Object.keys(response.body.error.fields ?? {}), limit).toEqual(["limit"]);
    }
  });

  it("refuses a malformed cursor with fields.cursor, never a 500", async () => {
    const notAPath = Buffer.from("a..b").toString("base64url");
    for (const cursor of ["!!!", "", notAPath, `${Buffer.from("stripe.key").toString("base64url")}=`, "%00", "x".repeat(600)]) {
      const response = await call<ErrorBody>(`/api/secrets?limit=5&cursor=${cursor}`);
      expect(response.status, cursor).toBe(400);
      expect(response.body.error.code).toBe("validation_error");
      expect(response.body.error.fields, cursor).toHaveProperty("cursor");
    }
    const both = await call<ErrorBody>("/api/secrets?limit=0&cursor=***");
    expect(Object.keys(both.body.error.fields ?? {}).sort()).toEqual(["cursor", "limit"]);
  });
});
