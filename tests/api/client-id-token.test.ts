import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, isProvenanceError } from "@provenance/client";
import { startOidcIssuerFake, type OidcIssuerFake } from "../support/fakes/oidc-issuer";
import { runCli } from "../transfer/support/cli";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";

/**
 * Keyless programs: the TypeScript client and `provenance run` given an OIDC ID token instead of
 * an API token trade it at POST /api/auth/token-exchange (a trust policy admits it) and read with
 * the short-lived token they get, exchanging once, not per request. Requests are counted by
 * wrapping the real fetch.
 */
let issuer: OidcIssuerFake;
let prefix: string;
let dir: string;
const audience = `provenance-${unique("aud")}`;
const claims = () => ({ aud: audience, sub: `repo:acme/keyless:ref:refs/heads/main`, repository: "acme/keyless" });

beforeAll(async () => {
  issuer = await startOidcIssuerFake();
  prefix = unique("keyless").replace(/-/g, "");
  dir = mkdtempSync(path.join(os.tmpdir(), "provenance-id-token-"));
  for (const [secretPath, value] of [
    [`${prefix}.apiKey`, "keyless-key"],
    [`${prefix}.dbUrl`, "postgres://keyless/db"],
  ]) {
    expect((await call("/api/secrets", { method: "POST", body: { secretPath, value } })).status).toBe(201);
  }
  const editor = await call("/api/trust-policies", {
    method: "POST",
    body: {
      name: unique("keyless-ed"),
      issuer: issuer.issuer,
      audience,
      claims: { repository: "acme/keyless", ref: "refs/heads/main" },
      role: "editor",
      scope: `${prefix}.*`,
      ttlSeconds: 600,
    },
  });
  expect(editor.status, editor.text).toBe(201); // resolving needs editor
});

afterAll(() => issuer.close());

function counting() {
  const seen: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    seen.push(new URL(String(input instanceof Request ? input.url : input)).pathname);
    return fetch(input, init);
  };
  return { fetcher, seen };
}

describe("the TypeScript client with an ID token", () => {
  it("exchanges once and reads inside the policy's scope", async () => {
    const { fetcher, seen } = counting();
    let minted = 0;
    const client = createClient({
      url: apiContext().baseUrl,
      idToken: () => {
        minted++;
        return issuer.idToken({ ...claims(), ref: "refs/heads/main" });
      },
      cacheTtlSeconds: 0,
      fetch: fetcher,
    });
    expect(await client.get(`${prefix}.apiKey`)).toBe("keyless-key");
    expect((await client.getMany({ prefix })).values).toEqual({
      [`${prefix}.apiKey`]: "keyless-key",
      [`${prefix}.dbUrl`]: "postgres://keyless/db",
    });
    expect(seen.filter((p) => p === "/api/auth/token-exchange")).toHaveLength(1);
    expect(minted).toBe(1);
    // Outside the scope the exchanged token is refused like any scoped token.
    const outside = await client.get("stripe.nothing").catch((error: unknown) => error);
    expect(isProvenanceError(outside) && ["forbidden", "not_found"].includes(outside.code)).toBe(true);
  });

  it("says why an ID token is refused, without repeating it", async () => {
    const stranger = issuer.idToken({ ...claims(), repository: "someone/else" });
    const client = createClient({ url: apiContext().baseUrl, idToken: stranger, cacheTtlSeconds: 0 });
    const error = await client.get(`${prefix}.apiKey`).catch((e: unknown) => e);
    expect(isProvenanceError(error)).toBe(true);
    expect((error as Error & { code: string }).code).toBe("unauthorized");
    expect((error as Error).message).toMatch(/polic/i);
    expect((error as Error).message).not.toContain(stranger);
  });

  it("refuses a token and an ID token together", () => {
    expect(() => createClient({ url: apiContext().baseUrl, token: "pvn_x", idToken: "a.b.c" })).toThrow(/not both/);
  });
});

describe("provenance run with --id-token-file", () => {
  it("runs the command with the values, reading the ID token from the file", async () => {
    const file = path.join(dir, "id-token");
    writeFileSync(file, `${issuer.idToken({ ...claims(), ref: "refs/heads/main" })}\n`);
    const env = { PROVENANCE_URL: apiContext().baseUrl, PROVENANCE_ID_TOKEN_FILE: file };
    const result = await runCli(
      ["run", "--prefix", prefix, "--", process.execPath, "-e", "process.stdout.write(process.env.API_KEY + ' ' + process.env.DB_URL)"],
      { env, cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("keyless-key postgres://keyless/db");
  });

  it("explains a missing file and a fallback file it cannot key", async () => {
    const env = { PROVENANCE_URL: apiContext().baseUrl, PROVENANCE_ID_TOKEN_FILE: path.join(dir, "missing") };
    const missing = await runCli(["get", `${prefix}.apiKey`], { env, cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the ID token file");
    const file = path.join(dir, "id-token-2");
    writeFileSync(file, issuer.idToken({ ...claims(), ref: "refs/heads/main" }));
    const fallback = await runCli(["run", "--prefix", prefix, "--fallback-file", path.join(dir, "copy"), "--", "true"], {
      env: { ...env, PROVENANCE_ID_TOKEN_FILE: file },
      cwd: dir,
    });
    expect(fallback.code).toBe(2);
    expect(fallback.stderr).toContain("--fallback-file needs an API token");
  });
});
