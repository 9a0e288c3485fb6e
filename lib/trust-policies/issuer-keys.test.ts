import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { resetEnvForTests } from "@/lib/env";
import { sendJson, startHttpFake, type HttpFake } from "@/tests/support/fakes/http";
import { startOidcIssuerFake, type OidcIssuerFake } from "@/tests/support/fakes/oidc-issuer";
import { forgetIssuerKeys, issuerKeys } from "./issuer-keys";

/** Fetching an issuer's keys: discovery, JWKS, the cache and every way an issuer can misbehave. */
const saved = { ...process.env };
let issuer: OidcIssuerFake;

beforeAll(async () => {
  process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS = "true";
  process.env.PROVENANCE_PROVIDER_TIMEOUT_MS = "500";
  resetEnvForTests();
  issuer = await startOidcIssuerFake("ES256");
});

afterEach(() => forgetIssuerKeys());

afterAll(async () => {
  process.env = saved;
  resetEnvForTests();
  await issuer.close();
});

async function failure(run: () => Promise<unknown>): Promise<AppError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** An issuer whose discovery document or JWKS is answered by `answer`. */
async function misbehaving(
  answer: (path: string, base: string, res: Parameters<typeof sendJson>[0]) => void,
): Promise<HttpFake & { issuer: string }> {
  let base = "";
  const fake = await startHttpFake((req, res) => answer(req.url ?? "", base, res));
  base = fake.url;
  return { ...fake, issuer: fake.url };
}

describe("issuer keys", () => {
  it("reads the JWKS named by the discovery document and keeps it", async () => {
    const keys = await issuerKeys(issuer.issuer, issuer.keys[0]!.kid);
    expect(keys.map((k) => k.kid)).toEqual([issuer.keys[0]!.kid]);
    const before = issuer.requests.length;
    await issuerKeys(issuer.issuer, issuer.keys[0]!.kid);
    expect(issuer.requests.length).toBe(before); // from the cache
  });

  it("refetches on an unknown kid at most once a minute", async () => {
    const start = Date.now();
    await issuerKeys(issuer.issuer, undefined, start);
    const key = issuer.rotate();
    expect(await issuerKeys(issuer.issuer, key.kid, start + 1000)).toEqual([]); // too soon: not refetched
    expect((await issuerKeys(issuer.issuer, key.kid, start + 61_000)).map((k) => k.kid)).toEqual([key.kid]);
  });

  it("refuses a discovery document that names another issuer", async () => {
    const fake = await misbehaving((path, base, res) =>
      sendJson(res, 200, { issuer: "https://elsewhere.example", jwks_uri: `${base}/keys` }),
    );
    expect((await failure(() => issuerKeys(fake.issuer, undefined))).message).toMatch(/names another issuer/);
    await fake.close();
  });

  it("refuses a jwks_uri at a metadata address", async () => {
    const fake = await misbehaving((path, base, res) => sendJson(res, 200, { issuer: base, jwks_uri: "http://169.254.169.254/keys" }));
    expect((await failure(() => issuerKeys(fake.issuer, undefined))).message).toMatch(/metadata/);
    await fake.close();
  });

  it("refuses a JWKS over 256 KiB, an error status and a reply that is not JSON", async () => {
    const big = await misbehaving((path, base, res) =>
      path.startsWith("/.well-known")
        ? sendJson(res, 200, { issuer: base, jwks_uri: `${base}/keys` })
        : sendJson(res, 200, { keys: [{ pad: "x".repeat(300_000) }] }),
    );
    expect((await failure(() => issuerKeys(big.issuer, undefined))).message).toMatch(/larger than 256 KiB/);
    const down = await misbehaving((path, base, res) => sendJson(res, 503, {}));
    expect((await failure(() => issuerKeys(down.issuer, undefined))).message).toMatch(/HTTP 503/);
    const html = await misbehaving((path, base, res) => res.end("<html>"));
    expect((await failure(() => issuerKeys(html.issuer, undefined))).message).toMatch(/not JSON/);
    await Promise.all([big.close(), down.close(), html.close()]);
  });

  it("gives up on an issuer that does not answer within the provider timeout", async () => {
    const slow = await misbehaving(() => undefined); // never answers
    const error = await failure(() => issuerKeys(slow.issuer, undefined));
    expect(error.code).toBe("provider_timeout");
    await slow.close();
  });
});
