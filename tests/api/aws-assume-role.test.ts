import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { call, unique } from "./support/client";

/**
 * aws-sm connections with a role (issue 15, out to the managers), over HTTP against the built
 * server and the AWS fake's STS: saved with the role fields in the clear and the keys masked,
 * tested by assuming the role, read with the role's session, and the STS endpoint treated as an
 * address the keys are bound to.
 */
const MASK = "••••••••";
const AWS_KEY = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
const ROLE = "arn:aws:iam::123456789012:role/provenance-api-reader";
const EXTERNAL_ID = `ext-${randomBytes(6).toString("hex")}`;

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; hint?: string };
}
interface Connection {
  id: string;
  config: Record<string, string>;
}

let aws: AwsFake;
beforeAll(async () => {
  aws = await startAwsFake({ [AWS_KEY.id]: AWS_KEY.secret }, { [ROLE]: { externalId: EXTERNAL_ID } });
});
afterAll(() => aws?.close());

const roleConfig = (extra: Record<string, string> = {}) => ({
  region: "eu-west-1",
  accessKeyId: AWS_KEY.id,
  secretAccessKey: AWS_KEY.secret,
  endpoint: aws.url,
  stsEndpoint: aws.url,
  roleArn: ROLE,
  externalId: EXTERNAL_ID,
  ...extra,
});

async function connect(config: Record<string, string>) {
  return call<Connection & ErrorBody>("/api/secret-providers", {
    method: "POST",
    body: { name: unique("aws-role"), type: "aws-sm", config },
  });
}

describe("aws-sm connections with a role", () => {
  it("are saved with the role fields shown and the keys masked, tested by assuming the role, and read with its session", async () => {
    const created = await connect(roleConfig({ roleSessionName: "provenance-api" }));
    expect(created.status, created.text).toBe(201);
    expect(created.body.config).toEqual({ ...roleConfig({ roleSessionName: "provenance-api" }), accessKeyId: MASK, secretAccessKey: MASK });

    const callsBefore = aws.sts.calls.length;
    const tested = await call<{ ok: boolean }>(`/api/secret-providers/${created.body.id}/test`, { method: "POST", body: {} });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body.ok).toBe(true);
    expect(aws.sts.calls.slice(callsBefore)).toEqual([
      expect.objectContaining({
        action: "AssumeRole",
        roleArn: ROLE,
        externalId: EXTERNAL_ID,
        roleSessionName: "provenance-api",
        signedBy: AWS_KEY.id,
      }),
    ]);

    const providerPath = unique("role-read").replace(/[^A-Za-z0-9_.-]/g, "-");
    aws.putSecret(providerPath, "read-through-the-role");
    const secretPath = unique("aws.role").replace(/[^A-Za-z0-9_.-]/g, "-");
    const secret = await call("/api/secrets", {
      method: "POST",
      body: { secretPath, provider: "aws-sm", providerPath, secretProviderId: created.body.id, providerConfig: {} },
    });
    expect(secret.status, secret.text).toBe(201);
    const resolved = await call<{ value: string }>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.value).toBe("read-through-the-role");
    const issued = aws.sts.calls.filter((c) => c.roleArn === ROLE && c.issued).map((c) => c.issued);
    expect(issued).toContain(aws.signedBy.at(-1));
  });

  it("report a refused role in the test result, naming the role and never the keys", async () => {
    const created = await connect(roleConfig({ externalId: "not-the-partner-id" }));
    expect(created.status, created.text).toBe(201);
    const tested = await call<{ ok: boolean; error: { code: string; message: string; hint?: string } }>(
      `/api/secret-providers/${created.body.id}/test`,
      {
        method: "POST",
        body: {},
      },
    );
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.error.code).toBe("provider_error");
    expect(tested.body.error.message).toContain(`not allowed to assume role ${ROLE}`);
    expect(tested.body.error.hint).toContain("trust policy");
    for (const credential of [AWS_KEY.id, AWS_KEY.secret]) expect(tested.text).not.toContain(credential);
  });

  it("refuse a token file beside keys, and role options without a role, with 400", async () => {
    const both = await connect(
      roleConfig({ externalId: "", webIdentityTokenFile: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token" }),
    );
    expect(both.status, both.text).toBe(400);
    expect(both.body.error.fields).toEqual({ "config.webIdentityTokenFile": expect.stringContaining("replaces access keys") });
    const orphan = await connect({ region: "eu-west-1", externalId: EXTERNAL_ID });
    expect(orphan.status, orphan.text).toBe(400);
    expect(orphan.body.error.fields).toEqual({ "config.externalId": "External ID needs a Role ARN" });
  });

  it("ask for the keys again when the STS endpoint changes", async () => {
    const created = await connect(roleConfig());
    expect(created.status, created.text).toBe(201);
    const moved = await call<ErrorBody>(`/api/secret-providers/${created.body.id}`, {
      method: "PATCH",
      body: { config: { stsEndpoint: "https://sts.attacker.example.com" } },
    });
    expect(moved.status, moved.text).toBe(400);
    expect(Object.keys(moved.body.error.fields ?? {}).sort()).toEqual(["config.accessKeyId", "config.secretAccessKey"]);
  });
});
