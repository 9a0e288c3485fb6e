import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUZZ_SEED } from "../support/fuzz-seed";
import { BODY_ENDPOINTS, fixtures, type BodyEndpoint } from "./support/body-endpoints";
import { Browser } from "./support/browser";
import { call, unique, type ApiResponse } from "./support/client";
import { apiContext } from "./support/context";
import { createStoredSecret, createVaultConnection, expectNoStackTrace, type ErrorBody } from "./support/expectations";
import { callAction, containsFlightError, serverActions, type ServerAction } from "./support/fuzz-actions";
import {
  encodeSegment,
  hostileJson,
  hostileQuery,
  hostileSegment,
  hostileString,
  jsonText,
  memberName,
  notJsonText,
  notObjectJson,
  oversizedBody,
  POLLUTING_KEYS,
  tooDeepJson,
  wrongType,
} from "./support/fuzz-inputs";
import { expectUnchanged, storedState } from "./support/fuzz-stored";
import { requestsCarryGeneratedInput } from "./support/leak-recorder";

// Generated strings are not secrets (see requestsCarryGeneratedInput); the answers are still scanned.
requestsCarryGeneratedInput();

/**
 * Property-based hostile input against every route handler and server action of the built app:
 * generated bodies, query strings, path parameters and action arguments. Each input belongs to a
 * class whose answer the contract fixes (400 invalid_json / validation_error naming the member,
 * 404, 405, 409, 412, 413); a 2xx only for input that is valid, never a 5xx or a stack trace,
 * and nothing stored changes (what valid input created is cleaned up and checked gone).
 * The seed is fixed (FUZZ_SEED to change it) and printed with any counterexample.
 */

// Generated inputs per endpoint (fast-check runs); sized for ~60-90 s per database on 2 cores.
const RUNS = {
  body: 210,
  ids: 600,
  listQuery: 300,
  resolveQuery: 300,
  otherQueries: 240,
  unknownPaths: 120,
  methods: 80,
  auth: 120,
  action: 120,
} as const;

/** How many inputs each endpoint received, printed as a table at the end. */
const generated = new Map<string, number>();
const count = (endpoint: string) => generated.set(endpoint, (generated.get(endpoint) ?? 0) + 1);

afterAll(() => {
  const rows = [...generated].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...rows.map(([name]) => name.length));
  const total = rows.reduce((sum, [, n]) => sum + n, 0);
  console.log(
    [
      `fuzz (${apiContext().kind}, seed ${FUZZ_SEED}): generated inputs per endpoint`,
      ...rows.map(([name, n]) => `  ${name.padEnd(width)}  ${String(n).padStart(5)}`),
      `  ${"total".padEnd(width)}  ${String(total).padStart(5)}`,
    ].join("\n"),
  );
});

const params = (numRuns: number) => ({ seed: FUZZ_SEED, numRuns, endOnFailure: true });

/** What the contract says the answer to one input class is. */
interface Expected {
  statuses: number[];
  code?: string;
  /** A member the error's `fields` must name (itself or something under it). */
  field?: string;
}

/** Node's HTTP server refuses a request line past its header limit (16 KiB) before the app sees it. */
const URL_LIMIT = 16 * 1024;

function check(response: ApiResponse, expected: Expected, input: string): void {
  if (response.status === 431 && input.length > URL_LIMIT / 2) return;
  const context = `${input.slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  expectNoStackTrace(response.text);
  expect(expected.statuses, context).toContain(response.status);
  if (response.status < 400) return;
  expect(response.headers.get("content-type") ?? "", context).toMatch(/application\/json/);
  const error = (response.body as ErrorBody | undefined)?.error;
  expect(error, context).toMatchObject({ code: expect.stringMatching(/^[a-z]+(_[a-z]+)*$/), message: expect.any(String) });
  if (expected.code && response.status === expected.statuses[0]) expect(error!.code, context).toBe(expected.code);
  if (expected.field !== undefined && response.status === 400) {
    const named = Object.keys(error!.fields ?? {});
    expect(
      named.some((f) => f === expected.field || f.startsWith(`${expected.field}.`)),
      `${context}: fields should name ${JSON.stringify(expected.field)}`,
    ).toBe(true);
  }
}

let connectionId: string;
let secret: { id: string; secretPath: string };

beforeAll(async () => {
  // Tests of this connection fail at once (nothing listens on port 9), so valid test requests stay fast.
  connectionId = fixtures.connectionId = (await createVaultConnection({ vaultUrl: "http://127.0.0.1:9" })).id;
  secret = fixtures.secret = await createStoredSecret(unique("fuzz.fixture"));
});

/** Runs a property with the stored state checked around it; valid inputs register their cleanup. */
async function withStoredStateKept(run: (created: Created) => Promise<void>): Promise<void> {
  const created = new Created();
  const before = await storedState();
  try {
    await run(created);
  } finally {
    await created.cleanUp();
  }
  expectUnchanged(before, await storedState(), created.tokenIds);
}

/** What valid generated input created, removed again through the API. */
class Created {
  readonly tokenIds = new Set<string>();
  private readonly deletions: string[] = [];

  record(endpoint: BodyEndpoint, response: ApiResponse): void {
    const id = (response.body as { id?: string }).id;
    if (!id) return;
    if (endpoint.path() === "/api/secret-providers") this.deletions.push(`/api/secret-providers/${id}`);
    else if (endpoint.path() === "/api/secrets") this.deletions.push(`/api/secrets/${id}`);
    else if (endpoint.path() === "/api/tokens") {
      this.tokenIds.add(id);
      this.deletions.push(`/api/tokens/${id}`);
    }
  }

  recordPath(path: string, tokenId?: string): void {
    this.deletions.push(path);
    if (tokenId) this.tokenIds.add(tokenId);
  }

  async cleanUp(): Promise<void> {
    for (const path of this.deletions.splice(0)) {
      const response = await call(path, { method: "DELETE" });
      expect([204, 404], `cleanup ${path}: ${response.status} ${response.text}`).toContain(response.status);
    }
  }
}

/** Members whose valid values have a known JSON type, per body endpoint (beyond its valid body). */
const MEMBER_TYPES: Record<string, Record<string, "string" | "object" | "array" | "number">> = {
  "POST /api/secret-providers": { name: "string", type: "string", config: "object", description: "string" },
  "PUT /api/secret-providers/:id": { name: "string", config: "object", description: "string" },
  "PATCH /api/secret-providers/:id": { name: "string", config: "object", description: "string" },
  "POST /api/secrets": { secretPath: "string", value: "string", description: "string", provider: "string", providerConfig: "object" },
  "PUT /api/secrets/:id": { secretPath: "string", value: "string", description: "string", providerConfig: "object" },
  "PATCH /api/secrets/:id": { secretPath: "string", value: "string", description: "string", providerConfig: "object" },
  "POST /api/secrets/resolve": { paths: "array", prefix: "string" },
  "POST /api/secret-providers/:id/test": { providerPath: "string", version: "string" },
  "POST /api/tokens": { name: "string", role: "string", scope: "string", expiresInDays: "number" },
};

/** String members (dotted for nested ones) that take free text, where any hostile string is fair input. */
const STRING_MEMBERS: Record<string, string[]> = {
  "POST /api/secret-providers": ["name", "description", "config.vaultUrl", "config.token", "config.namespace"],
  "PUT /api/secret-providers/:id": ["name", "description", "config.vaultUrl", "config.namespace"],
  "PATCH /api/secret-providers/:id": ["name", "description", "config.token"],
  "POST /api/secrets": ["secretPath", "value", "description", "providerConfig.jsonKey", "providerConfig.version"],
  "PUT /api/secrets/:id": ["secretPath", "value", "description", "providerConfig.jsonKey"],
  "PATCH /api/secrets/:id": ["value", "description", "providerConfig.version"],
  "POST /api/secrets/resolve": ["paths.0", "prefix"],
  "POST /api/secret-providers/:id/test": ["providerPath", "version"],
  "POST /api/tokens": ["name", "role", "scope"],
};

const isUpdate = (endpoint: BodyEndpoint) => endpoint.method === "PUT" || endpoint.method === "PATCH";

interface BodyInput {
  label: string;
  text: string;
  headers?: Record<string, string>;
  expected: Expected;
  /** Valid shape: a 2xx creates something to clean up. */
  mayCreate?: boolean;
}

/** Every input class for one body endpoint, each with the answer the contract gives it. */
function bodyInputs(endpoint: BodyEndpoint): fc.Arbitrary<BodyInput> {
  const types = MEMBER_TYPES[endpoint.name]!;
  const members = Object.keys(types);
  const validEntries = () => Object.entries(endpoint.valid());
  const replace = (key: string, value: unknown) => [...validEntries().filter(([k]) => k !== key), [key, value]] as Array<[string, unknown]>;

  const invalidJson = fc
    .oneof(notJsonText, tooDeepJson)
    .map((text): BodyInput => ({ label: "not JSON / too deep", text, expected: { statuses: [400], code: "invalid_json" } }));
  const notObject = notObjectJson.map((text): BodyInput => ({
    label: "not an object",
    text,
    expected: { statuses: [400], code: "validation_error" },
  }));
  const tooLarge = oversizedBody.map((text): BodyInput => ({
    label: "over 64 KiB",
    text,
    expected: { statuses: [413], code: "payload_too_large" },
  }));
  const wrongTyped = fc
    .constantFrom(...members)
    .chain((key) => wrongType(types[key]!).map((value) => [key, value] as const))
    .map(([key, value]): BodyInput => ({
      label: `wrong type for ${key}`,
      text: jsonText(replace(key, value)),
      expected: { statuses: [400], code: "validation_error", field: key },
    }));
  const unknownMember = fc
    .tuple(
      memberName(POLLUTING_KEYS).filter((k) => !members.includes(k)),
      hostileJson,
      fc.boolean(),
    )
    .map(([key, value, nested]): BodyInput => {
      if (nested && endpoint.nested) {
        const inner = jsonText([...Object.entries((endpoint.valid()[endpoint.nested] as Record<string, unknown>) ?? {}), [key, value]]);
        const text = jsonText(replace(endpoint.nested, "@@")).replace('"@@"', inner);
        return {
          label: `unknown member ${endpoint.nested}.${key}`,
          text,
          expected: { statuses: [400], code: "validation_error", field: `${endpoint.nested}.${key}` },
        };
      }
      return {
        label: `unknown member ${key}`,
        text: jsonText([...validEntries(), [key, value]]),
        expected: { statuses: [400], code: "validation_error", field: key },
      };
    });
  // {"name":"a","name":{}}: JSON.parse keeps the last, so the wrong one decides.
  const duplicate = fc
    .constantFrom(...members)
    .chain((key) => wrongType(types[key]!).map((value) => [key, value] as const))
    .map(([key, value]): BodyInput => {
      const valid = endpoint.valid()[key] ?? "a";
      return {
        label: `duplicate ${key}`,
        text: jsonText([...validEntries(), [key, valid], [key, value]]),
        expected: { statuses: [400], code: "validation_error", field: key },
      };
    });
  // Valid shape, hostile text: accepted (2xx) or refused naming the member; never anything else.
  const hostileText = fc.tuple(fc.constantFrom(...STRING_MEMBERS[endpoint.name]!), hostileString).map(([member, value]): BodyInput => {
    const [outer, inner] = member.split(".") as [string, string | undefined];
    const base = endpoint.valid();
    let replacement: unknown = value;
    if (inner !== undefined) {
      const current = base[outer];
      replacement = Array.isArray(current) || inner === "0" ? [value] : { ...((current as Record<string, unknown>) ?? {}), [inner]: value };
    }
    // `prefix` is the alternative to `paths`: sent alone.
    const text =
      member === "prefix" && endpoint.name === "POST /api/secrets/resolve"
        ? jsonText([["prefix", value]])
        : jsonText(replace(outer, replacement));
    const fieldPrefix = outer;
    if (isUpdate(endpoint)) {
      // A stale If-Match: a valid body answers 412 and changes nothing; an invalid one 400.
      return {
        label: `hostile ${member} (stale If-Match)`,
        text,
        headers: { "if-match": '"v999999"' },
        expected: { statuses: [412, 400], field: fieldPrefix },
      };
    }
    const ok =
      endpoint.method === "POST" && endpoint.path().endsWith("/api/secrets/resolve") ? 200 : endpoint.path().endsWith("/test") ? 200 : 201;
    return { label: `hostile ${member}`, text, expected: { statuses: [ok, 400, 409], field: fieldPrefix }, mayCreate: ok === 201 };
  });

  return fc.oneof(
    { weight: 2, arbitrary: invalidJson },
    { weight: 1, arbitrary: notObject },
    { weight: 1, arbitrary: tooLarge },
    { weight: 3, arbitrary: wrongTyped },
    { weight: 3, arbitrary: unknownMember },
    { weight: 2, arbitrary: duplicate },
    { weight: 4, arbitrary: hostileText },
  );
}

describe("route handlers: generated bodies", () => {
  it.each(BODY_ENDPOINTS.map((e) => [e.name, e] as const))("%s", async (name, endpoint) => {
    await withStoredStateKept(async (created) => {
      await fc.assert(
        fc.asyncProperty(bodyInputs(endpoint), async (input) => {
          count(name);
          const response = await call(endpoint.path(), { method: endpoint.method, body: input.text, headers: input.headers });
          if (response.status >= 200 && response.status < 300 && input.mayCreate) created.record(endpoint, response);
          check(response, input.expected, `${input.label}: ${input.text}`);
        }),
        params(RUNS.body),
      );
    });
  });
});

describe("route handlers: path parameters", () => {
  const ROUTES: Array<[string, string, (id: string) => string, unknown?]> = [
    ["GET /api/secret-providers/:id", "GET", (id) => `/api/secret-providers/${id}`],
    ["PUT /api/secret-providers/:id", "PUT", (id) => `/api/secret-providers/${id}`, { description: "x" }],
    ["PATCH /api/secret-providers/:id", "PATCH", (id) => `/api/secret-providers/${id}`, { description: "x" }],
    ["DELETE /api/secret-providers/:id", "DELETE", (id) => `/api/secret-providers/${id}`],
    ["POST /api/secret-providers/:id/test", "POST", (id) => `/api/secret-providers/${id}/test`, {}],
    ["GET /api/secrets/:id", "GET", (id) => `/api/secrets/${id}`],
    ["PUT /api/secrets/:id", "PUT", (id) => `/api/secrets/${id}`, { description: "x" }],
    ["PATCH /api/secrets/:id", "PATCH", (id) => `/api/secrets/${id}`, { description: "x" }],
    ["DELETE /api/secrets/:id", "DELETE", (id) => `/api/secrets/${id}`],
    ["DELETE /api/tokens/:id", "DELETE", (id) => `/api/tokens/${id}`],
  ];

  it("ids that name nothing → 404 not_found on every route that takes one", async () => {
    await withStoredStateKept(async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), hostileSegment, async ([name, method, path, body], id) => {
          count(`${name} (id)`);
          const response = await call(path(id), { method, body });
          check(response, { statuses: [404], code: "not_found" }, `${method} ${path(id)}`);
        }),
        params(RUNS.ids),
      );
    });
  });
});

describe("route handlers: query strings", () => {
  const SECRET_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
  const isSecretPath = (s: string) => s.length <= 200 && SECRET_PATH.test(s);
  const PROVIDERS = ["provenance", "aws-sm", "azure-kv", "gcp-sm", "vault"];

  it("GET /api/secrets?prefix&provider&secretProviderId&limit&cursor → 200 when every parameter is valid, else 400 naming it", async () => {
    const name = "GET /api/secrets (query)";
    // A cursor is the base64url (canonical, unpadded) of a secret path.
    const isCursor = (c: string) =>
      /^[A-Za-z0-9_-]+$/.test(c) &&
      isSecretPath(Buffer.from(c, "base64url").toString("utf8")) &&
      Buffer.from(Buffer.from(c, "base64url").toString("utf8")).toString("base64url") === c;
    await fc.assert(
      fc.asyncProperty(hostileQuery(["prefix", "provider", "secretProviderId", "limit", "cursor"]), async (query) => {
        count(name);
        const seen = new URL(`http://x/?${query}`).searchParams;
        const [prefix, provider, id, limit, cursor] = ["prefix", "provider", "secretProviderId", "limit", "cursor"].map((key) =>
          seen.get(key),
        );
        const bad = [
          prefix && !isSecretPath(prefix.endsWith(".") ? prefix.slice(0, -1) : prefix) ? "prefix" : null,
          provider && !PROVIDERS.includes(provider!) ? "provider" : null,
          id && !/^[A-Za-z0-9_-]{1,128}$/.test(id) ? "secretProviderId" : null,
          limit !== null && !(/^[1-9][0-9]{0,3}$/.test(limit!) && Number(limit) <= 1000) ? "limit" : null,
          cursor !== null && !isCursor(cursor!) ? "cursor" : null,
        ].filter((f): f is string => f !== null);
        const response = await call(`/api/secrets?${query}`);
        check(response, bad.length > 0 ? { statuses: [400], code: "validation_error", field: bad[0] } : { statuses: [200] }, query);
        if (response.status === 200) expect(Array.isArray(response.body)).toBe(true);
      }),
      params(RUNS.listQuery),
    );
  });

  it("GET /api/secrets/resolve?path → 400 without a valid path, 404 for one that names nothing, 200 for the fixture", async () => {
    const name = "GET /api/secrets/resolve (query)";
    const path = fc.oneof(
      hostileSegment,
      fc.constant(null).map(() => encodeSegment(secret.secretPath)),
      fc.stringMatching(/^fuzz\.none\.[a-z]{1,8}$/),
    );
    await withStoredStateKept(async () => {
      await fc.assert(
        fc.asyncProperty(path, hostileQuery(["path", "paths"]), fc.boolean(), async (value, extra, first) => {
          count(name);
          const query = first ? `path=${value}&${extra}` : `${extra}&path=${value}`;
          const wanted = new URL(`http://x/?${query}`).searchParams.get("path");
          const expected: Expected = !wanted
            ? { statuses: [400], code: "validation_error", field: "path" }
            : !isSecretPath(wanted)
              ? { statuses: [400], code: "validation_error" }
              : wanted === secret.secretPath
                ? { statuses: [200] }
                : { statuses: [404, 200], code: "not_found" };
          check(await call(`/api/secrets/resolve?${query}`), expected, query);
        }),
        params(RUNS.resolveQuery),
      );
    });
  });

  it("endpoints without query parameters ignore any query string", async () => {
    const READS = [
      "/api",
      "/api/health",
      "/api/health/live",
      "/api/health/ready",
      "/api/openapi.json",
      "/api/secret-providers",
      "/api/secret-providers/types",
      "/api/tokens",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...READS, "/api/secret-providers/:id", "/api/secrets/:id"),
        hostileQuery(["id", "prefix", "path"]),
        async (template, query) => {
          count(`GET ${template} (query)`);
          const path = template.replace(":id", template.includes("providers") ? connectionId : secret.id);
          check(await call(`${path}?${query}`), { statuses: [200] }, `${path}?${query}`);
        },
      ),
      params(RUNS.otherQueries),
    );
  });
});

describe("route handlers: paths and methods nobody serves", () => {
  it("unknown /api paths → JSON 404 not_found, whatever the method", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"), hostileSegment, hostileSegment, async (method, a, b) => {
        count(`${method} /api/[...unknown]`);
        const path = `/api/zz${a}/${b}`;
        check(
          await call(path, { method, body: method === "GET" ? undefined : "{}" }),
          { statuses: [404], code: "not_found" },
          `${method} ${path}`,
        );
      }),
      params(RUNS.unknownPaths),
    );
  });

  it("a method a route does not serve → 405 method_not_allowed with Allow, never a 5xx, nothing stored changes", async () => {
    const UNSERVED: Array<[string, string]> = [
      ["DELETE", "/api/secrets"],
      ["PUT", "/api/secret-providers"],
      ["POST", "/api/secret-providers/:cid"],
      ["GET", "/api/secret-providers/:cid/test"],
      ["POST", "/api/secrets/:sid"],
      ["PUT", "/api/secrets/resolve"],
      ["PUT", "/api/tokens"],
      ["GET", "/api/tokens/:tid"],
      ["POST", "/api/health"],
      ["DELETE", "/api/openapi.json"],
      ["POST", "/api/secret-providers/types"],
    ];
    await withStoredStateKept(async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...UNSERVED),
          fc.oneof(
            hostileJson.map((v) => JSON.stringify(v)),
            notJsonText,
          ),
          async ([method, template], body) => {
            count(`${method} ${template} (unserved method)`);
            const path = template.replace(":cid", connectionId).replace(":sid", secret.id).replace(":tid", "nope");
            const response = await call(path, { method, body: method === "GET" ? undefined : body });
            check(response, { statuses: [405], code: "method_not_allowed" }, `${method} ${path}`);
            expect(response.headers.get("allow"), `${method} ${path}`).toMatch(/^[A-Z]+(, [A-Z]+)*$/);
            expect(response.headers.get("allow")).not.toContain(method);
          },
        ),
        params(RUNS.methods),
      );
    });
  });
});

describe("route handlers: next-auth's endpoints", () => {
  it("hostile queries and sign-in forms never cause a 5xx or a session", async () => {
    await withStoredStateKept(async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("session", "csrf", "providers", "signin", "callback/credentials", "signout", "error", "zz"),
          hostileQuery(["error", "csrf", "provider"]),
          // callbackUrl only as a URL or a path: anything else is the known failure pinned below.
          fc.record({
            email: hostileString,
            password: hostileString,
            csrfToken: hostileString,
            callbackUrl: fc.oneof(
              fc.constantFrom("/", "/secrets", "https://evil.example/x", "javascript:alert(1)", "//evil.example"),
              hostileString.map((s) => `/${encodeSegment(s)}`),
            ),
            json: fc.constantFrom("true", "false", ""),
          }),
          async (action, query, form) => {
            count(`/api/auth/${action}`);
            const browser = new Browser();
            await browser.request("/api/auth/csrf");
            const post = action === "callback/credentials" || action === "signout";
            const response = await browser.request(
              `/api/auth/${action}?${query}`,
              post ? { method: "POST", form: Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.toWellFormed()])) } : {},
            );
            expect(response.status, `${action}?${query}: ${response.text.slice(0, 200)}`).toBeLessThan(500);
            expectNoStackTrace(response.text);
            expect(browser.sessionCookieName(), "a hostile sign-in got a session").toBeUndefined();
          },
        ),
        params(RUNS.auth),
      );
    });
  });
});

describe("route handlers: the dashboard's sign-out", () => {
  it("POST /sign-out, whatever it is sent, ends the caller's session only, never with a 5xx", async () => {
    const { admin } = apiContext();
    const signedIn = new Browser();
    await signedIn.signIn(admin.email, admin.password);
    await fc.assert(
      fc.asyncProperty(
        hostileQuery(["callbackUrl", "next"]),
        fc.oneof(
          hostileJson.map((v) => ({ json: v })),
          notJsonText.map((text) => ({ form: { text: text.toWellFormed() } })),
        ),
        async (query, body) => {
          count("POST /sign-out");
          const leaving = new Browser();
          await leaving.signIn(admin.email, admin.password);
          const response = await leaving.request(`/sign-out?${query}`, { method: "POST", ...body });
          expect(response.status, response.text.slice(0, 300)).toBe(303);
          expect(response.headers.get("location")).toBe("/login");
          expectNoStackTrace(response.text);
          expect((await leaving.request("/api/secrets?limit=1")).status).toBe(401);
          expect((await signedIn.request("/api/secrets?limit=1")).status).toBe(200);
        },
      ),
      params(3),
    );
  });
});

describe("failures found outside the handlers' code (a .fails one is still open: drop .fails once it is fixed)", () => {
  it("a path with a percent-escaped lone surrogate → 404, not Next's plain 500", async () => {
    for (const path of ["/api/secrets/%ED%A0%80", "/api/zz/%ED%A0%80"])
      check(await call(path), { statuses: [404], code: "not_found" }, path);
  });

  it("sign-out with a callbackUrl that is no URL → not a 500 (next-auth's default redirect callback threw)", async () => {
    const browser = new Browser();
    const csrf = await browser.request("/api/auth/csrf");
    const { csrfToken } = csrf.json as { csrfToken: string };
    const response = await browser.request("/api/auth/signout", {
      method: "POST",
      form: { csrfToken, callbackUrl: "not a url", json: "true" },
    });
    expect(response.status).toBeLessThan(500);
  });

  it.fails("a server action body that is not React's encoding → a 4xx, not a 500", async () => {
    const action = serverActions().find((a) => a.name === "createSecretAction")!;
    const { baseUrl } = apiContext();
    const response = await fetch(`${baseUrl}/secrets/new`, {
      method: "POST",
      headers: { "next-action": action.id, origin: baseUrl, "content-type": "text/plain;charset=UTF-8" },
      body: "{bad",
    });
    expect(response.status).toBeLessThan(500);
  });
});

describe("server actions over HTTP, as the dashboard calls them", () => {
  const actions = serverActions();
  let browser: Browser;

  beforeAll(async () => {
    browser = new Browser();
    const { admin } = apiContext();
    await browser.signIn(admin.email, admin.password);
    expect(browser.sessionCookieName()).toBeDefined();
  });

  it("the build's manifest lists every action of the dashboard, login and setup", () => {
    expect(actions.map((a) => a.name).sort()).toEqual(
      [
        "changePasswordAction",
        "createConnectionAction",
        "createFirstAdmin",
        "createSecretAction",
        "createTokenAction",
        "createTrustPolicyAction",
        "createUserAction",
        "deleteConnectionAction",
        "deleteSecretAction",
        "deleteTrustPolicyAction",
        "importEnvAction",
        "previewEnvImportAction",
        "revealSecretAction",
        "resetPasswordAction",
        "revokeTokenAction",
        "testConnectionAction",
        "updateConnectionAction",
        "updateSecretAction",
        "updateUserAction",
      ].sort(),
    );
  });

  /** Arguments a browser could send: hostile ids and JSON, right shape or not, too few or too many. */
  const idArg = fc.oneof(hostileString, fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), hostileJson);
  const inputArg = fc.oneof(
    hostileJson,
    fc
      .array(
        fc.tuple(
          memberName([
            "name",
            "role",
            "email",
            "password",
            "secretPath",
            "value",
            "type",
            "config",
            "code",
            "providerPath",
            "disabled",
            "text",
            "prefix",
            "onConflict",
          ]),
          hostileJson,
        ),
        { maxLength: 5 },
      )
      .map((entries) => Object.fromEntries(entries)),
  );
  const ARGS: Record<string, fc.Arbitrary<unknown[]>> = {
    createConnectionAction: fc.tuple(inputArg),
    updateConnectionAction: fc.tuple(idArg, inputArg),
    deleteConnectionAction: fc.tuple(idArg),
    testConnectionAction: fc.tuple(idArg, inputArg),
    createSecretAction: fc.tuple(inputArg),
    updateSecretAction: fc.tuple(idArg, inputArg),
    deleteSecretAction: fc.tuple(idArg),
    revealSecretAction: fc.tuple(idArg),
    previewEnvImportAction: fc.tuple(inputArg),
    importEnvAction: fc.tuple(inputArg),
    createTokenAction: fc.tuple(inputArg),
    revokeTokenAction: fc.tuple(idArg),
    createTrustPolicyAction: fc.tuple(inputArg),
    deleteTrustPolicyAction: fc.tuple(idArg),
    createUserAction: fc.tuple(inputArg),
    updateUserAction: fc.tuple(idArg, inputArg),
    createFirstAdmin: fc.tuple(inputArg),
    changePasswordAction: fc.tuple(inputArg),
    resetPasswordAction: fc.tuple(idArg, inputArg),
  };
  const anyArgs = fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.array(hostileJson, { maxLength: 4 }) });

  it.each(actions.map((a) => [a.name, a] as const))("%s", async (name, action: ServerAction) => {
    const page = action.page
      .replace("secrets/[id]", `secrets/${secret.id}`)
      .replace("secret-providers/[id]", `secret-providers/${connectionId}`);
    await withStoredStateKept(async (created) => {
      await fc.assert(
        fc.asyncProperty(ARGS[name]!, anyArgs, async (typed, other) => {
          count(`action ${name}`);
          const args = other ?? typed;
          const response = await callAction(browser, action, page, args);
          const context = `${name}(${JSON.stringify(args).slice(0, 300)}) → ${response.status} ${response.text.slice(0, 300)}`;
          expect(response.status, context).toBeLessThan(500);
          expectNoStackTrace(response.text);
          expect(response.contentType, context).toMatch(/text\/x-component/);
          expect(containsFlightError(response.result), `${context}: part of the result could not be serialized`).toBe(false);
          const result = response.result as {
            ok: boolean;
            message: string | null;
            fields: Record<string, string>;
            data?: { id?: string; view?: { id: string } };
          };
          expect(result, context).toMatchObject({ ok: expect.any(Boolean), fields: expect.any(Object) });
          if (!result.ok) {
            expect(typeof result.message, context).toBe("string");
            expect(result.message, `${context}: a generated input reached an unexpected error`).not.toMatch(/Something went wrong/);
            return;
          }
          // Valid input: undo what it did, through the API.
          if (name === "createConnectionAction") created.recordPath(`/api/secret-providers/${result.data!.id}`);
          else if (name === "createSecretAction") created.recordPath(`/api/secrets/${result.data!.id}`);
          else if (name === "createTokenAction") created.recordPath(`/api/tokens/${result.data!.view!.id}`, result.data!.view!.id);
          else if (!["revealSecretAction", "testConnectionAction", "previewEnvImportAction"].includes(name))
            expect.fail(`${context}: a generated input changed something`);
        }),
        params(RUNS.action),
      );
    });
  });
  it("an action body over 64 KiB is refused (413) before the action runs, and nothing is stored", async () => {
    const action = actions.find((a) => a.name === "createSecretAction")!;
    const secretPath = unique("fuzz.oversize").replace(/-/g, "_");
    await withStoredStateKept(async () => {
      const response = await callAction(browser, action, action.page, [{ secretPath, value: "x".repeat(70 * 1024) }]);
      expect(response.status, response.text.slice(0, 200)).toBe(413);
      expectNoStackTrace(response.text);
    });
    // Just under the limit, the same action works: the limit is the body size, not the action.
    const fits = await callAction(browser, action, action.page, [{ secretPath, value: "x".repeat(60 * 1024) }]);
    expect(fits.result, fits.text.slice(0, 200)).toMatchObject({ ok: true });
    const id = (fits.result as { data: { id: string } }).data.id;
    expect((await call(`/api/secrets/${id}`, { method: "DELETE" })).status).toBe(204);
  });
});
