import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { parseSigV4, verifySigV4 } from "./aws-sigv4";
import { FakeSts, isStsRequest, type FakeRole } from "./aws-sts";
import { applyTransportFault, FaultQueue, sendJson, startHttpFake, type HttpFake } from "./http";

/**
 * AWS Secrets Manager's JSON 1.1 protocol: POST / with X-Amz-Target, SigV4-signed. Knows the
 * access keys it accepts (and their secret keys, to verify signatures) and records, per request,
 * which key id signed it. Actions: GetSecretValue, DescribeSecret (metadata: VersionIdsToStages) and BatchGetSecretValue (a SecretIdList of up to
 * 20 ids, or name Filters with MaxResults/NextToken; per-secret failures in `Errors`). `deny`
 * refuses an action to one access key, as an IAM policy without it would. STS answers on the same
 * address (aws-sts.ts); the credentials it issues sign Secrets Manager requests like keys do.
 */
interface StoredVersion {
  versionId: string;
  stages: string[];
  secretString?: string;
  secretBinary?: Buffer;
}

export interface AwsFake extends HttpFake {
  /** STS on the same address (aws-sts.ts): its calls, and the temporary credentials it issued. */
  sts: FakeSts;
  faults: FaultQueue;
  /** Adds a version that becomes AWSCURRENT (the previous one becomes AWSPREVIOUS). Returns its VersionId. */
  putSecret(name: string, value: string | Buffer, versionId?: string): string;
  /** Access key ids that signed each request, in order ("" when unsigned). */
  signedBy: string[];
  /** From now on, `action` (e.g. "BatchGetSecretValue") is AccessDeniedException for this access key. */
  deny(accessKeyId: string, action: string): void;
}

const TARGET_PREFIX = "secretsmanager.";
const BATCH_MAX_IDS = 20;

interface BatchInput {
  SecretIdList?: string[];
  Filters?: Array<{ Key?: string; Values?: string[] }>;
  MaxResults?: number;
  NextToken?: string;
}

export const AWS_REGION = "eu-west-1";
const ACCOUNT = "123456789012";

function awsError(res: ServerResponse, status: number, code: string, message = code): void {
  sendJson(res, status, { __type: code, message });
}

export async function startAwsFake(accessKeys: Record<string, string>, roles: Record<string, FakeRole> = {}): Promise<AwsFake> {
  const sts = new FakeSts(roles, accessKeys);
  const secrets = new Map<string, StoredVersion[]>();
  const faults = new FaultQueue();
  const signedBy: string[] = [];
  const denied = new Set<string>();
  const arnOf = (name: string) => `arn:aws:secretsmanager:${AWS_REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
  const nameOf = (secretId: unknown) =>
    String(secretId ?? "")
      .replace(/^arn:aws:secretsmanager:[^:]+:\d+:secret:/, "")
      .replace(/-[A-Za-z0-9]{6}$/, "");
  const entry = (name: string, version: StoredVersion) => ({
    ARN: arnOf(name),
    Name: name,
    VersionId: version.versionId,
    VersionStages: version.stages,
    CreatedDate: 1_700_000_000,
    ...(version.secretBinary ? { SecretBinary: version.secretBinary.toString("base64") } : { SecretString: version.secretString }),
  });
  const current = (name: string) => secrets.get(name)?.find((v) => v.stages.includes("AWSCURRENT"));

  const fake = await startHttpFake(async (req, res, recorded) => {
    if (isStsRequest(recorded)) return sts.answer(res, recorded);
    const credential = parseSigV4(req.headers.authorization);
    signedBy.push(credential?.accessKeyId ?? "");
    if (!credential) return awsError(res, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
    const temporary = sts.temporaryKey(credential.accessKeyId, req.headers);
    if (temporary && "error" in temporary) {
      return awsError(
        res,
        400,
        temporary.error,
        temporary.error === "ExpiredTokenException"
          ? "The security token included in the request is expired"
          : "The security token included in the request is invalid.",
      );
    }
    const secretKey = temporary?.secretKey ?? accessKeys[credential.accessKeyId];
    if (secretKey === undefined)
      return awsError(res, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
    if (!verifySigV4(recorded, credential, secretKey)) return awsError(res, 400, "InvalidSignatureException", "Signature mismatch");

    const fault = faults.take();
    if (await applyTransportFault(fault, req, res)) return;
    if (fault?.status) return awsError(res, fault.status, fault.code ?? "InternalServiceError", fault.message);

    const target = String(req.headers["x-amz-target"] ?? "");
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    if (action !== "GetSecretValue" && action !== "BatchGetSecretValue" && action !== "DescribeSecret")
      return awsError(res, 400, "UnknownOperationException");
    if (denied.has(`${credential.accessKeyId}:${action}`)) {
      return awsError(res, 400, "AccessDeniedException", `User is not authorized to perform: secretsmanager:${action}`);
    }
    if (action === "BatchGetSecretValue") return batchGet(res, JSON.parse(recorded.body) as BatchInput);
    if (action === "DescribeSecret") return describe(res, JSON.parse(recorded.body) as { SecretId?: string });

    const input = JSON.parse(recorded.body) as { SecretId?: string; VersionId?: string; VersionStage?: string };
    const name = nameOf(input.SecretId);
    const versions = secrets.get(name);
    if (!versions) return awsError(res, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    const version = input.VersionId
      ? versions.find((v) => v.versionId === input.VersionId)
      : versions.find((v) => v.stages.includes(input.VersionStage ?? "AWSCURRENT"));
    if (!version) return awsError(res, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value.");
    sendJson(res, 200, entry(name, version));
  });

  /** The secret's metadata, never a value: VersionIdsToStages maps each version id to its stages. */
  function describe(res: ServerResponse, input: { SecretId?: string }): void {
    const name = nameOf(input.SecretId);
    const versions = secrets.get(name);
    if (!versions) return awsError(res, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    const VersionIdsToStages = Object.fromEntries(versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, v.stages]));
    sendJson(res, 200, {
      ARN: arnOf(name),
      Name: name,
      LastChangedDate: 1_700_000_000,
      LastAccessedDate: 1_700_000_000,
      VersionIdsToStages,
      CreatedDate: 1_700_000_000,
    });
  }

  /** As the service does: either SecretIdList (1-20 ids, no MaxResults) or Filters; NextToken pages filtered reads. */
  function batchGet(res: ServerResponse, input: BatchInput): void {
    const { SecretIdList: ids, Filters: filters } = input;
    if ((ids === undefined) === (filters === undefined)) {
      return awsError(res, 400, "InvalidParameterException", "Either SecretIdList or Filters must be specified, not both.");
    }
    if (ids !== undefined) {
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > BATCH_MAX_IDS) {
        return awsError(res, 400, "InvalidParameterException", `SecretIdList must hold 1 to ${BATCH_MAX_IDS} secret ids.`);
      }
      if (input.MaxResults !== undefined) return awsError(res, 400, "InvalidParameterException", "MaxResults requires Filters.");
      const SecretValues: ReturnType<typeof entry>[] = [];
      const Errors: Array<{ SecretId: string; ErrorCode: string; Message: string }> = [];
      for (const id of ids) {
        const version = current(nameOf(id));
        if (version) SecretValues.push(entry(nameOf(id), version));
        else
          Errors.push({
            SecretId: id,
            ErrorCode: "ResourceNotFoundException",
            Message: "Secrets Manager can't find the specified secret.",
          });
      }
      return sendJson(res, 200, { SecretValues, Errors });
    }
    const max = input.MaxResults ?? BATCH_MAX_IDS;
    if (!Number.isInteger(max) || max < 1 || max > BATCH_MAX_IDS)
      return awsError(res, 400, "InvalidParameterException", "MaxResults must be 1 to 20.");
    const matches = [...secrets.keys()]
      .sort()
      .filter((name) =>
        (filters ?? []).every((f) => f.Key === "all" || (f.Key === "name" && (f.Values ?? []).some((prefix) => name.startsWith(prefix)))),
      );
    const start = input.NextToken ? Number(input.NextToken) : 0;
    if (!Number.isInteger(start) || start < 0) return awsError(res, 400, "InvalidNextTokenException", "The NextToken value is invalid.");
    const page = matches.slice(start, start + max).flatMap((name) => {
      const version = current(name);
      return version ? [entry(name, version)] : [];
    });
    const next = start + max < matches.length ? String(start + max) : undefined;
    sendJson(res, 200, { SecretValues: page, Errors: [], ...(next ? { NextToken: next } : {}) });
  }

  return {
    ...fake,
    sts,
    faults,
    signedBy,
    deny(accessKeyId, action) {
      denied.add(`${accessKeyId}:${action}`);
    },
    putSecret(name, value, versionId = randomUUID()) {
      const versions = secrets.get(name) ?? [];
      for (const v of versions) v.stages = v.stages.includes("AWSCURRENT") ? ["AWSPREVIOUS"] : v.stages.filter((s) => s !== "AWSPREVIOUS");
      versions.push({
        versionId,
        stages: ["AWSCURRENT"],
        ...(typeof value === "string" ? { secretString: value } : { secretBinary: value }),
      });
      secrets.set(name, versions);
      return versionId;
    },
  };
}
