import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { createToken, expectError } from "./support/expectations";
import { adminSession, newPerson, signedIn } from "./support/people";

/**
 * GET /api/metrics against the AWS wire-protocol fake: the connection signs with its own access
 * key, so the fake's record of who signed each request is the connection's call count, and the
 * Prometheus line for it must equal that (as GET …/usage does).
 */
const newKey = () => ({ id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") });
const KEY = newKey();

let aws: AwsFake;
const callsSignedBy = (key: { id: string }) => aws.signedBy.filter((id) => id === key.id).length;
const safe = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.-]/g, "-");
const metrics = (token?: string | null) => call<string>("/api/metrics", token === undefined ? {} : { token });
const resolve = (secretPath: string) =>
  call<{ value: string; cached: boolean }>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);

/** The value of `name` for the sample whose labels include connection_id="id", or undefined. */
function sample(text: string, name: string, connectionId: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(`connection_id="${connectionId}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

function reads(text: string): { success: number; failure: number; denied: number } {
  const of = (outcome: string) =>
    Number(new RegExp(`^provenance_secret_reads_total\\{outcome="${outcome}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? NaN);
  return { success: of("success"), failure: of("failure"), denied: of("denied") };
}

beforeAll(async () => {
  aws = await startAwsFake({ [KEY.id]: KEY.secret });
});
afterAll(async () => {
  await aws?.close();
});

describe("GET /api/metrics", () => {
  it("reports each connection's calls as the manager counted them, with cache hits, misses and errors, in Prometheus text 0.0.4", async () => {
    // A name that needs escaping in a label value: a double quote and a backslash.
    const name = `${unique("metrics")} "eu" \\ prod`;
    const created = await call<{ id: string }>("/api/secret-providers", {
      method: "POST",
      body: { name, type: "aws-sm", config: { region: "eu-west-1", accessKeyId: KEY.id, secretAccessKey: KEY.secret, endpoint: aws.url } },
    });
    expect(created.status, created.text).toBe(201);
    const connection = created.body.id;
    const tag = randomBytes(4).toString("hex");
    aws.putSecret(`metrics/${tag}/a`, `metrics-value-${tag}`);
    const secretPath = safe("metrics.aws");
    const missing = safe("metrics.missing");
    for (const [path, providerPath] of [
      [secretPath, `metrics/${tag}/a`],
      [missing, `metrics/${tag}/missing`],
    ] as const) {
      const secret = await call("/api/secrets", {
        method: "POST",
        body: { secretPath: path, provider: "aws-sm", providerPath, secretProviderId: connection },
      });
      expect(secret.status, secret.text).toBe(201);
    }

    const fresh = await metrics();
    expect(fresh.status, fresh.text).toBe(200);
    expect(fresh.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4\b/);
    expect(sample(fresh.text, "provenance_upstream_calls_total", connection)).toBe(0);
    const readsBefore = reads(fresh.text);

    expect((await resolve(secretPath)).body).toMatchObject({ cached: false });
    expect((await resolve(secretPath)).body).toMatchObject({ cached: true });
    expect((await resolve(missing)).status).toBe(502);

    const response = await metrics();
    expect(response.status, response.text).toBe(200);
    const text = response.text;
    const calls = callsSignedBy(KEY);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(sample(text, "provenance_upstream_calls_total", connection)).toBe(calls);
    expect(sample(text, "provenance_upstream_errors_total", connection)).toBe(1);
    expect(sample(text, "provenance_upstream_throttled_total", connection)).toBe(0);
    expect(sample(text, "provenance_cache_hits_total", connection)).toBe(1);
    expect(sample(text, "provenance_cache_misses_total", connection)).toBe(2);
    // This process's reads by outcome (test files run one at a time against the server).
    expect(reads(text)).toEqual({ success: readsBefore.success + 2, failure: readsBefore.failure + 1, denied: readsBefore.denied });
    // Label values escaped as the format says; the line parses back to the name.
    const escapedName = name.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    expect(text).toContain(
      `provenance_upstream_calls_total{connection_id="${connection}",connection="${escapedName}",type="aws-sm"} ${calls}\n`,
    );
    // Families carry HELP and TYPE; process-level gauges are there.
    expect(text).toMatch(/^# TYPE provenance_upstream_calls_total counter$/m);
    expect(text).toMatch(/^provenance_webhook_deliveries\{state="pending"\} \d+$/m);
    expect(text).toMatch(/^provenance_audit_queue_depth \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    // Every line is a comment or `name{labels} number`.
    for (const line of text.trimEnd().split("\n"))
      expect(line).toMatch(/^(# (HELP|TYPE) \S+ .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? -?[0-9.e+]+)$/);
    // Numbers only, never a value.
    expect(text).not.toContain(`metrics-value-${tag}`);

    // A deleted connection's usage rows go with it, and so do its lines.
    for (const path of [secretPath, missing]) {
      const [row] = await query<{ id: string }>("SELECT id FROM secrets WHERE secret_path = $1", [path]);
      expect((await call(`/api/secrets/${row!.id}`, { method: "DELETE" })).status).toBe(204);
    }
    expect((await query("SELECT * FROM provider_usage_days WHERE connection_id = $1", [connection])).length).toBeGreaterThan(0);
    expect((await call(`/api/secret-providers/${connection}`, { method: "DELETE" })).status).toBe(204);
    expect(await query("SELECT * FROM provider_usage_days WHERE connection_id = $1", [connection])).toEqual([]);
    expect(sample((await metrics()).text, "provenance_upstream_calls_total", connection)).toBeUndefined();
  });

  it("is for admins only: editor, viewer and path-scoped tokens get 403, no credentials 401", async () => {
    const { tokens } = apiContext();
    for (const token of [tokens.editor, tokens.viewer, tokens.scopedEditor, (await createToken("editor", "metrics.*")).token]) {
      expectError(await metrics(token), 403, "forbidden");
    }
    expectError(await metrics(null), 401, "unauthorized");
    expect((await metrics(tokens.admin)).status).toBe(200);
  });

  it("answers a signed-in admin, and refuses a signed-in editor", async () => {
    const admin = await (await adminSession()).request("/api/metrics");
    expect(admin.status, admin.text).toBe(200);
    expect(admin.text).toMatch(/^# TYPE provenance_upstream_calls_total counter$/m);
    const editor = await newPerson("editor");
    const refused = await (await signedIn(editor.email, editor.password)).request("/api/metrics");
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { code: "forbidden" } });
  });
});
