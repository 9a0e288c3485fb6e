import { verify } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gcpSmAdapter } from "@/lib/providers/gcp-sm/adapter";
import { startGcpFake, type GcpFake } from "../support/fakes/gcp";
import { trustTestCa } from "../support/fakes/tls";
import { appErrorFrom, expectNoCredentials, DEADLINE_SLACK_MS } from "./support/app-errors";
import { makeServiceAccount } from "./support/service-account";

// The real @google-cloud/secret-manager (gRPC via google-gax) against a grpc-js fake built from
// the SDK's own service.proto: plain-text for most cases, TLS where credentials must travel.
const PROJECT = "provenance-test";
const account = makeServiceAccount(PROJECT);

let plain: GcpFake;
let secure: GcpFake;
let connection = 0;
beforeAll(async () => {
  trustTestCa();
  [plain, secure] = await Promise.all([startGcpFake(), startGcpFake({ tls: true })]);
  for (const fake of [plain, secure]) {
    fake.putSecret(PROJECT, "api-key", "first");
    fake.putSecret(PROJECT, "api-key", "second");
    fake.putSecret("other-project", "shared", "from-other");
  }
});
afterAll(async () => {
  await Promise.all([plain.close(), secure.close()]);
});

function context(config: Record<string, string> = {}, timeoutMs = 5_000) {
  return {
    connectionKey: `gcp-${++connection}:1`,
    config: { projectId: PROJECT, serviceAccountJson: account.json, apiEndpoint: `http://${plain.endpoint}`, ...config },
    timeoutMs,
  };
}
const fetchFrom = (path: string, extra: { version?: string; timeoutMs?: number } = {}) =>
  gcpSmAdapter.fetchSecret({ ...context({}, extra.timeoutMs), path, ...(extra.version ? { version: extra.version } : {}) });
const lastName = () => plain.requests.at(-1)!.name;

describe("gcp-sm adapter: paths and values", () => {
  it("expands a short name to the project's latest version and returns value and version number", async () => {
    expect(await fetchFrom("api-key")).toEqual({ value: "second", version: "2" });
    expect(lastName()).toBe(`projects/${PROJECT}/secrets/api-key/versions/latest`);
  });

  it("completes a secret path with latest, or with providerConfig.version", async () => {
    expect((await fetchFrom("projects/other-project/secrets/shared")).value).toBe("from-other");
    expect(lastName()).toBe("projects/other-project/secrets/shared/versions/latest");
    expect(await fetchFrom("api-key", { version: "1" })).toEqual({ value: "first", version: "1" });
    expect(lastName()).toBe(`projects/${PROJECT}/secrets/api-key/versions/1`);
  });

  it("uses a full version path as written", async () => {
    expect((await fetchFrom(`projects/${PROJECT}/secrets/api-key/versions/1`, { version: "2" })).value).toBe("first");
    expect(lastName()).toBe(`projects/${PROJECT}/secrets/api-key/versions/1`);
  });

  it("over TLS, sends a bearer JWT signed with the service account's own key (no token endpoint)", async () => {
    const secret = await gcpSmAdapter.fetchSecret({ ...context({ apiEndpoint: secure.endpoint }), path: "api-key" });
    expect(secret.value).toBe("second");
    const jwt = /^Bearer (.+)$/.exec(secure.requests.at(-1)!.authorization ?? "")?.[1] ?? "";
    const [header, payload, signature] = jwt.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: account.clientEmail, sub: account.clientEmail });
    expect(verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), account.publicKey, Buffer.from(signature!, "base64url"))).toBe(true);
  });

  it("verifies the payload checksum, and reports a reply without payload", async () => {
    plain.faults.add({ badCrc: true });
    const corrupted = await appErrorFrom(fetchFrom("api-key"));
    expect(corrupted.message).toBe(
      `GCP Secret Manager: payload checksum mismatch for projects/${PROJECT}/secrets/api-key/versions/latest: the data was corrupted on the way`,
    );
    plain.faults.add({ noPayload: true });
    expect((await appErrorFrom(fetchFrom("api-key"))).message).toContain("malformed reply");
  });

  it("refuses malformed paths before calling", async () => {
    const before = plain.requests.length;
    for (const path of ["a/b", "projects/p/secrets", "projects/p/secrets/s/versions/", "projects/p/locations/l/secrets/s"]) {
      expect((await appErrorFrom(fetchFrom(path))).message).toContain("GCP Secret Manager: invalid path");
    }
    expect(plain.requests.length).toBe(before);
  });
});

describe("gcp-sm adapter: failures", () => {
  it("maps NOT_FOUND, PERMISSION_DENIED (with hint) and UNAUTHENTICATED, never echoing the key", async () => {
    const missing = await appErrorFrom(fetchFrom("nope"));
    expect(missing.message).toBe(
      `GCP Secret Manager: secret version projects/${PROJECT}/secrets/nope/versions/latest not found (NOT_FOUND)`,
    );
    expect(missing.extra).toMatchObject({ upstreamCode: "NOT_FOUND", upstreamStatus: 5 });
    plain.faults.add({ code: grpc.status.PERMISSION_DENIED });
    const denied = await appErrorFrom(fetchFrom("api-key"));
    expect(denied.extra.hint).toContain("roles/secretmanager.secretAccessor");
    plain.faults.add({ code: grpc.status.UNAUTHENTICATED });
    const rejected = await appErrorFrom(fetchFrom("api-key"));
    expect(rejected.message).toBe("GCP Secret Manager: the credentials were rejected (UNAUTHENTICATED)");
    for (const error of [missing, denied, rejected])
      expectNoCredentials(error, [account.privateKeyPem, account.privateKeyPem.split("\n")[1]!]);
  });

  it("retries RESOURCE_EXHAUSTED until it clears", async () => {
    plain.faults.add({ code: grpc.status.RESOURCE_EXHAUSTED }, 2);
    const before = plain.requests.length;
    expect((await fetchFrom("api-key")).value).toBe("second");
    expect(plain.requests.length - before).toBe(3);
  });

  it("retries UNAVAILABLE that clears; gives up after 3 attempts when it does not", async () => {
    plain.faults.add({ code: grpc.status.UNAVAILABLE });
    let before = plain.requests.length;
    await fetchFrom("api-key");
    expect(plain.requests.length - before).toBe(2);
    plain.faults.add({ code: grpc.status.UNAVAILABLE }, 4);
    before = plain.requests.length;
    const error = await appErrorFrom(fetchFrom("api-key"));
    expect(error.message).toBe(
      `GCP Secret Manager: service unavailable reading projects/${PROJECT}/secrets/api-key/versions/latest (UNAVAILABLE) after 3 attempts`,
    );
    expect(plain.requests.length - before).toBe(3);
    while (plain.faults.take());
  });

  it("times out a slow reply on time (no SDK retries behind it), then keeps serving", async () => {
    const ctx = context({}, 400);
    await gcpSmAdapter.fetchSecret({ ...ctx, timeoutMs: 5_000, path: "api-key" }); // connect first: time only the slow reply
    plain.faults.add({ delayMs: 3_000 });
    const before = plain.requests.length;
    const started = Date.now();
    const error = await appErrorFrom(gcpSmAdapter.fetchSecret({ ...ctx, path: "api-key" }));
    expect(Date.now() - started).toBeLessThan(400 + DEADLINE_SLACK_MS);
    expect(error).toMatchObject({ code: "provider_timeout", message: "GCP Secret Manager: timed out after 400 ms fetching api-key" });
    expect(plain.requests.length - before).toBe(1);
    expect((await fetchFrom("api-key")).value).toBe("second");
  });

  it("retries a connection reset under a call", async () => {
    plain.faults.add({ reset: true });
    expect((await fetchFrom("api-key")).value).toBe("second");
    plain.faults.add({ reset: true }, 3);
    expect((await appErrorFrom(fetchFrom("api-key"))).message).toMatch(/\(UNAVAILABLE\) after 3 attempts$/);
  });

  it("checks a connection with a made-up secret name: NOT_FOUND passes, UNAUTHENTICATED fails", async () => {
    await expect(gcpSmAdapter.checkConnection(context())).resolves.toBeUndefined();
    expect(lastName()).toMatch(new RegExp(`^projects/${PROJECT}/secrets/provenance-connection-check-[0-9a-f-]+/versions/latest$`));
    plain.faults.add({ code: grpc.status.UNAUTHENTICATED });
    expect((await appErrorFrom(gcpSmAdapter.checkConnection(context()))).extra.upstreamCode).toBe("UNAUTHENTICATED");
  });

  it("explains that application default credentials were not found", async () => {
    vi.stubEnv("GOOGLE_APPLICATION_CREDENTIALS", "");
    vi.stubEnv("CLOUDSDK_CONFIG", "/nonexistent/gcloud");
    vi.stubEnv("METADATA_SERVER_DETECTION", "none");
    try {
      const error = await appErrorFrom(
        gcpSmAdapter.fetchSecret({ ...context({ apiEndpoint: secure.endpoint, serviceAccountJson: "" }), path: "api-key" }),
      );
      expect(error.message).toBe(
        "GCP Secret Manager: no credentials: set serviceAccountJson or give the server application default credentials",
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
