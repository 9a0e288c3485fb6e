import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsSmAdapter } from "@/lib/providers/aws-sm/adapter";
import { awsSmDefinition } from "@/lib/providers/aws-sm/definition";
import { addressChanges, credentialsNotResent } from "@/lib/providers/address-change";
import { configSchema } from "@/lib/providers/definition";
import { AWS_REGION, startAwsFake, type AwsFake } from "../support/fakes/aws";
import { tokenFileDirs } from "./support/token-file-dirs";
import { appErrorFrom, expectNoCredentials } from "./support/app-errors";

// AssumeRole and AssumeRoleWithWebIdentity through the real SDK's STS client, against the AWS
// fake's STS (signature and ExternalId checked, short-lived credentials issued), and the reads
// signed with the issued session.
const ACCESS_KEY = "AKIAPROVENANCEROLE01";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYROLESOURCE";
const UNTRUSTED_KEY = "AKIAPROVENANCEOTHER1";
const UNTRUSTED_SECRET = "an-identity-the-role-does-not-trust-0000";
const ROLE = "arn:aws:iam::123456789012:role/provenance-reader";
const ROLE_WITH_ID = "arn:aws:iam::123456789012:role/partner-reader";
const SHORT_ROLE = "arn:aws:iam::123456789012:role/short-lived";
const WEB_ROLE = "arn:aws:iam::123456789012:role/pod-reader";
const EXTERNAL_ID = "partner-7f3a";
const POD_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXBwIn0.cG9k";
const OTHER_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzb21lb25lLWVsc2UifQ.b3RoZXI";

let fake: AwsFake;
let tokenDir: string;
let outside: string;
let cleanUpDirs: () => void;
let connection = 0;

beforeAll(async () => {
  ({ allowed: tokenDir, outside, cleanUp: cleanUpDirs } = tokenFileDirs("aws"));
  writeFileSync(path.join(tokenDir, "token"), `${POD_JWT}\n`);
  writeFileSync(path.join(tokenDir, "other-token"), OTHER_JWT);
  writeFileSync(path.join(outside, "token"), POD_JWT);
  fake = await startAwsFake(
    { [ACCESS_KEY]: SECRET_KEY, [UNTRUSTED_KEY]: UNTRUSTED_SECRET },
    {
      [ROLE]: { trustedKeys: [ACCESS_KEY] },
      [ROLE_WITH_ID]: { trustedKeys: [ACCESS_KEY], externalId: EXTERNAL_ID },
      // 4 s: the fake's stand-in for a session near its end (replaced at two thirds, after 2.7 s).
      [SHORT_ROLE]: { trustedKeys: [ACCESS_KEY], durationSeconds: 4 },
      [WEB_ROLE]: { webIdentityToken: POD_JWT },
    },
  );
  fake.putSecret("app/db", "role-read-value");
});

afterAll(async () => {
  await fake.close();
  cleanUpDirs();
});

function withKeys(config: Record<string, string>) {
  return context({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, ...config });
}
function context(config: Record<string, string>) {
  return {
    connectionKey: `aws-role-${++connection}:1`,
    config: { region: AWS_REGION, endpoint: fake.url, stsEndpoint: fake.url, ...config },
    timeoutMs: 3_000,
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const readsSince = (before: number) =>
  fake.requests.slice(before).filter((r) => r.headers["x-amz-target"] === "secretsmanager.GetSecretValue");

describe("aws-sm assume role: the config", () => {
  const fields = (config: Record<string, string>) => {
    const result = configSchema(awsSmDefinition, { allowInsecure: true }).safeParse({ region: AWS_REGION, ...config });
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("takes a role with keys, with the default chain, or with a token file", () => {
    expect(
      fields({
        roleArn: ROLE,
        accessKeyId: ACCESS_KEY,
        secretAccessKey: SECRET_KEY,
        externalId: EXTERNAL_ID,
        roleSessionName: "ci-deploy",
      }),
    ).toEqual({});
    expect(fields({ roleArn: ROLE })).toEqual({});
    expect(
      fields({ roleArn: "arn:aws-us-gov:iam::123456789012:role/path/to/reader", webIdentityTokenFile: "/var/run/secrets/token" }),
    ).toEqual({});
  });

  it("checks each field's shape", () => {
    expect(fields({ roleArn: "arn:aws:iam::123456789012:user/bob" })).toEqual({ roleArn: expect.stringContaining("IAM role ARN") });
    expect(fields({ roleArn: ROLE, externalId: "x" })).toEqual({ externalId: expect.stringContaining("2 to 1224") });
    expect(fields({ roleArn: ROLE, externalId: "has space" })).toEqual({ externalId: expect.stringContaining("2 to 1224") });
    expect(fields({ roleArn: ROLE, roleSessionName: "a".repeat(65) })).toEqual({ roleSessionName: expect.stringContaining("at most 64") });
    expect(fields({ roleArn: ROLE, roleSessionName: "no/slash" })).toEqual({ roleSessionName: expect.stringContaining("2 to 64") });
    expect(fields({ roleArn: ROLE, webIdentityTokenFile: "relative/token" })).toEqual({
      webIdentityTokenFile: expect.stringContaining("absolute file path"),
    });
    expect(fields({ roleArn: ROLE, stsEndpoint: "not a url" })).toHaveProperty("stsEndpoint");
  });

  it("refuses role options without a role, and a token file beside keys", () => {
    expect(
      fields({ externalId: EXTERNAL_ID, roleSessionName: "x1", webIdentityTokenFile: "/t/token", stsEndpoint: "https://sts.example.com" }),
    ).toEqual({
      externalId: "External ID needs a Role ARN",
      roleSessionName: "Role session name needs a Role ARN",
      webIdentityTokenFile: "Web identity token file needs a Role ARN",
      stsEndpoint: "STS endpoint override needs a Role ARN",
    });
    expect(fields({ roleArn: ROLE, webIdentityTokenFile: "/t/token", accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY })).toEqual({
      webIdentityTokenFile: expect.stringContaining("replaces access keys"),
    });
    expect(fields({ roleArn: ROLE, webIdentityTokenFile: "/t/token", externalId: EXTERNAL_ID })).toEqual({
      externalId: expect.stringContaining("not for a web identity"),
    });
  });

  it("asks for the keys again when the STS endpoint changes, as for the endpoint", () => {
    const before = { region: AWS_REGION, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, roleArn: ROLE };
    const after = { ...before, stsEndpoint: "https://sts.attacker.example.com" };
    expect(addressChanges(awsSmDefinition, before, after)).toEqual([
      { field: "stsEndpoint", from: null, to: "https://sts.attacker.example.com" },
    ]);
    expect(credentialsNotResent(awsSmDefinition, after, () => false)).toEqual(["accessKeyId", "secretAccessKey"]);
    // A changed role is no address: the keys sign for AWS's own STS wherever the role lives.
    expect(addressChanges(awsSmDefinition, before, { ...before, roleArn: ROLE_WITH_ID })).toEqual([]);
  });

  it("marks the STS endpoint as an address and nothing new as sensitive", () => {
    const byKey = Object.fromEntries(awsSmDefinition.fields.map((f) => [f.key, f]));
    expect((byKey.stsEndpoint as { address?: true }).address).toBe(true);
    for (const key of ["roleArn", "externalId", "roleSessionName", "webIdentityTokenFile", "stsEndpoint"]) {
      expect((byKey[key] as { sensitive?: true }).sensitive).toBeUndefined();
    }
  });
});

describe("aws-sm assume role: AssumeRole with keys", () => {
  it("assumes the role with the keys and reads with the session, its token sent along", async () => {
    const before = fake.requests.length;
    const callsBefore = fake.sts.calls.length;
    const secret = await awsSmAdapter.fetchSecret({ ...withKeys({ roleArn: ROLE }), path: "app/db" });
    expect(secret.value).toBe("role-read-value");
    const calls = fake.sts.calls.slice(callsBefore);
    expect(calls).toEqual([
      expect.objectContaining({ action: "AssumeRole", roleArn: ROLE, roleSessionName: "provenance", signedBy: ACCESS_KEY }),
    ]);
    const [read] = readsSince(before);
    // Signed by the issued temporary key (the fake verified the signature with its secret), not the long-lived one.
    expect(read!.headers.authorization).toContain(`Credential=${calls[0]!.issued}/`);
    expect(read!.headers["x-amz-security-token"]).toEqual(expect.any(String));
    expect(fake.signedBy.at(-1)).toBe(calls[0]!.issued);
  });

  it("keeps the session for later reads of the same connection", async () => {
    const ctx = withKeys({ roleArn: ROLE, roleSessionName: "ci-deploy" });
    const callsBefore = fake.sts.calls.length;
    await Promise.all([awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" }), awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" })]);
    await awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" });
    const calls = fake.sts.calls.slice(callsBefore);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.roleSessionName).toBe("ci-deploy");
  });

  it("assumes the role again before the session ends", async () => {
    const ctx = withKeys({ roleArn: SHORT_ROLE });
    const callsBefore = fake.sts.calls.length;
    await awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" });
    const first = fake.sts.calls.at(-1)!;
    // Past two thirds of the 4 s lifetime, a second before its end: the read starts a new session
    // (and signs with the old one, still valid); a read soon after uses the new one.
    await sleep(3_000);
    await awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" });
    let signedWithNew = false;
    for (let i = 0; i < 20 && !signedWithNew; i++) {
      const before = fake.requests.length;
      await awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" });
      const issued = fake.sts.calls.slice(callsBefore)[1]?.issued;
      signedWithNew = issued !== undefined && readsSince(before)[0]!.headers.authorization!.includes(`Credential=${issued}/`);
      if (!signedWithNew) await sleep(100);
    }
    const calls = fake.sts.calls.slice(callsBefore);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.issued).not.toBe(first.issued);
    // Asked for before the first session ended, not after a read met an expired one.
    expect(calls[1]!.at).toBeLessThan(first.expiresAt!);
    expect(signedWithNew).toBe(true);
  });

  it("assumes the role again when AWS refuses the session as expired before its time", async () => {
    const ctx = withKeys({ roleArn: ROLE });
    await awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" });
    const first = fake.sts.calls.at(-1)!.issued!;
    fake.sts.expire(first);
    const callsBefore = fake.sts.calls.length;
    const before = fake.requests.length;
    expect((await awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" })).value).toBe("role-read-value");
    const reads = readsSince(before);
    expect(reads.map((r) => /Credential=(\w+)\//.exec(r.headers.authorization!)![1])).toEqual([first, fake.sts.calls.at(-1)!.issued]);
    expect(fake.sts.calls.length - callsBefore).toBe(1);
  });

  it("retries STS throttling, and names the role when STS keeps failing", async () => {
    fake.sts.faults.add({ status: 400, code: "Throttling" }, 2);
    const callsBefore = fake.sts.calls.length;
    expect((await awsSmAdapter.fetchSecret({ ...withKeys({ roleArn: ROLE }), path: "app/db" })).value).toBe("role-read-value");
    expect(fake.sts.calls.length - callsBefore).toBe(3);

    fake.sts.faults.add({ status: 503, code: "ServiceUnavailable" }, 3);
    const error = await appErrorFrom(awsSmAdapter.fetchSecret({ ...withKeys({ roleArn: ROLE }), path: "app/db" }));
    expect(error.message).toBe(
      `AWS Secrets Manager: service error assuming role ${ROLE} (ServiceUnavailable, HTTP 503) (AssumeRole) after 3 attempts`,
    );
    expectNoCredentials(error, [ACCESS_KEY, SECRET_KEY]);
  });

  it("assumes the role with the default chain when there are no keys", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
    try {
      const callsBefore = fake.sts.calls.length;
      expect((await awsSmAdapter.fetchSecret({ ...context({ roleArn: ROLE }), path: "app/db" })).value).toBe("role-read-value");
      expect(fake.sts.calls.slice(callsBefore)).toEqual([expect.objectContaining({ action: "AssumeRole", signedBy: ACCESS_KEY })]);
      expect(fake.signedBy.at(-1)).toBe(fake.sts.calls.at(-1)!.issued);
    } finally {
      for (const [key, value] of [
        ["AWS_ACCESS_KEY_ID", saved.id],
        ["AWS_SECRET_ACCESS_KEY", saved.secret],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("sends the external ID, and names the role without echoing keys when it does not match", async () => {
    expect(
      (await awsSmAdapter.fetchSecret({ ...withKeys({ roleArn: ROLE_WITH_ID, externalId: EXTERNAL_ID }), path: "app/db" })).value,
    ).toBe("role-read-value");
    expect(fake.sts.calls.at(-1)!.externalId).toBe(EXTERNAL_ID);

    const wrong = await appErrorFrom(
      awsSmAdapter.fetchSecret({ ...withKeys({ roleArn: ROLE_WITH_ID, externalId: "wrong-id" }), path: "app/db" }),
    );
    expect(wrong.code).toBe("provider_error");
    expect(wrong.message).toBe(`AWS Secrets Manager: not allowed to assume role ${ROLE_WITH_ID} (AssumeRole, AccessDenied)`);
    expect(wrong.extra.hint).toContain("The role's trust policy must allow sts:AssumeRole");
    expect(wrong.extra.hint).toContain("external ID");
    expectNoCredentials(wrong, [ACCESS_KEY, SECRET_KEY]);

    const missing = await appErrorFrom(awsSmAdapter.fetchSecret({ ...withKeys({ roleArn: ROLE_WITH_ID }), path: "app/db" }));
    expect(missing.extra.upstreamCode).toBe("AccessDenied");
  });

  it("refuses keys the role does not trust, and keys STS does not know", async () => {
    const untrusted = await appErrorFrom(
      awsSmAdapter.fetchSecret({
        ...context({ roleArn: ROLE, accessKeyId: UNTRUSTED_KEY, secretAccessKey: UNTRUSTED_SECRET }),
        path: "app/db",
      }),
    );
    expect(untrusted.message).toContain(`not allowed to assume role ${ROLE}`);
    expectNoCredentials(untrusted, [UNTRUSTED_KEY, UNTRUSTED_SECRET]);

    const bogus = "wrong-secret-key-for-the-role-000";
    const rejected = await appErrorFrom(
      awsSmAdapter.fetchSecret({ ...withKeys({ roleArn: ROLE, secretAccessKey: bogus }), path: "app/db" }),
    );
    expect(rejected.message).toBe(
      `AWS Secrets Manager: the credentials were rejected (SignatureDoesNotMatch) while assuming role ${ROLE} (AssumeRole)`,
    );
    expectNoCredentials(rejected, [ACCESS_KEY, bogus]);
  });

  it("tests the connection by assuming the role afresh", async () => {
    const ctx = withKeys({ roleArn: ROLE });
    await awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" });
    const callsBefore = fake.sts.calls.length;
    const before = fake.requests.length;
    await awsSmAdapter.checkConnection(ctx);
    const calls = fake.sts.calls.slice(callsBefore);
    expect(calls).toHaveLength(1);
    expect(readsSince(before)[0]!.headers.authorization).toContain(`Credential=${calls[0]!.issued}/`);

    const refused = await appErrorFrom(awsSmAdapter.checkConnection(withKeys({ roleArn: ROLE_WITH_ID, externalId: "wrong-id" })));
    expect(refused.message).toContain(`not allowed to assume role ${ROLE_WITH_ID}`);
  });
});

describe("aws-sm assume role: web identity", () => {
  it("assumes the role with the token from the file, unsigned, and reads with the session", async () => {
    const callsBefore = fake.sts.calls.length;
    const ctx = context({ roleArn: WEB_ROLE, webIdentityTokenFile: path.join(tokenDir, "token") });
    expect((await awsSmAdapter.fetchSecret({ ...ctx, path: "app/db" })).value).toBe("role-read-value");
    const calls = fake.sts.calls.slice(callsBefore);
    expect(calls).toEqual([expect.objectContaining({ action: "AssumeRoleWithWebIdentity", roleArn: WEB_ROLE, signedBy: "" })]);
    expect(fake.signedBy.at(-1)).toBe(calls[0]!.issued);
  });

  it("reads the file again for a new session, and reports a refused token with the trust hint", async () => {
    const file = path.join(tokenDir, "rotating");
    writeFileSync(file, POD_JWT);
    const ctx = context({ roleArn: WEB_ROLE, webIdentityTokenFile: file });
    await awsSmAdapter.checkConnection(ctx);
    writeFileSync(file, OTHER_JWT); // rotated to a token the role does not trust
    const error = await appErrorFrom(awsSmAdapter.checkConnection(ctx));
    expect(error.message).toBe(
      `AWS Secrets Manager: the web identity token was refused for role ${WEB_ROLE} (AssumeRoleWithWebIdentity, InvalidIdentityTokenException)`,
    );
    expect(error.extra.hint).toContain("OIDC identity provider");
    expectNoCredentials(error, [OTHER_JWT, POD_JWT]);
  });

  it("refuses a token file outside the allowed folders without reading it", async () => {
    const callsBefore = fake.sts.calls.length;
    const error = await appErrorFrom(
      awsSmAdapter.fetchSecret({ ...context({ roleArn: WEB_ROLE, webIdentityTokenFile: path.join(outside, "token") }), path: "app/db" }),
    );
    expect(error.code).toBe("provider_error");
    expect(error.message).toContain("is not in a folder token files may be read from");
    expect(fake.sts.calls.length).toBe(callsBefore);
    expectNoCredentials(error, [POD_JWT]);
  });

  it("names the role when its trust policy has no web identity", async () => {
    const error = await appErrorFrom(
      awsSmAdapter.fetchSecret({ ...context({ roleArn: ROLE, webIdentityTokenFile: path.join(tokenDir, "token") }), path: "app/db" }),
    );
    expect(error.message).toBe(`AWS Secrets Manager: not allowed to assume role ${ROLE} (AssumeRoleWithWebIdentity, AccessDenied)`);
    expect(error.extra.hint).toContain("The role's trust policy must allow sts:AssumeRoleWithWebIdentity");
  });
});
