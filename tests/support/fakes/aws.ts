import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { parseSigV4, verifySigV4 } from "./aws-sigv4";
import { applyTransportFault, FaultQueue, sendJson, startHttpFake, type HttpFake } from "./http";

/**
 * AWS Secrets Manager's JSON 1.1 protocol: POST / with X-Amz-Target, SigV4-signed. Knows the
 * access keys it accepts (and their secret keys, to verify signatures) and records, per request,
 * which key id signed it.
 */
interface StoredVersion {
  versionId: string;
  stages: string[];
  secretString?: string;
  secretBinary?: Buffer;
}

export interface AwsFake extends HttpFake {
  faults: FaultQueue;
  /** Adds a version that becomes AWSCURRENT (the previous one becomes AWSPREVIOUS). Returns its VersionId. */
  putSecret(name: string, value: string | Buffer, versionId?: string): string;
  /** Access key ids that signed each request, in order ("" when unsigned). */
  signedBy: string[];
}

export const AWS_REGION = "eu-west-1";
const ACCOUNT = "123456789012";

function awsError(res: ServerResponse, status: number, code: string, message = code): void {
  sendJson(res, status, { __type: code, message });
}

export async function startAwsFake(accessKeys: Record<string, string>): Promise<AwsFake> {
  const secrets = new Map<string, StoredVersion[]>();
  const faults = new FaultQueue();
  const signedBy: string[] = [];

  const fake = await startHttpFake(async (req, res, recorded) => {
    const credential = parseSigV4(req.headers.authorization);
    signedBy.push(credential?.accessKeyId ?? "");
    if (!credential) return awsError(res, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
    const secretKey = accessKeys[credential.accessKeyId];
    if (secretKey === undefined) return awsError(res, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
    if (!verifySigV4(recorded, credential, secretKey)) return awsError(res, 400, "InvalidSignatureException", "Signature mismatch");

    const fault = faults.take();
    if (await applyTransportFault(fault, req, res)) return;
    if (fault?.status) return awsError(res, fault.status, fault.code ?? "InternalServiceError", fault.message);

    if (req.headers["x-amz-target"] !== "secretsmanager.GetSecretValue") return awsError(res, 400, "UnknownOperationException");
    const input = JSON.parse(recorded.body) as { SecretId?: string; VersionId?: string; VersionStage?: string };
    const name = String(input.SecretId ?? "").replace(/^arn:aws:secretsmanager:[^:]+:\d+:secret:/, "").replace(/-[A-Za-z0-9]{6}$/, "");
    const versions = secrets.get(name);
    if (!versions) return awsError(res, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    const version = input.VersionId
      ? versions.find((v) => v.versionId === input.VersionId)
      : versions.find((v) => v.stages.includes(input.VersionStage ?? "AWSCURRENT"));
    if (!version) return awsError(res, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value.");
    sendJson(res, 200, {
      ARN: `arn:aws:secretsmanager:${AWS_REGION}:${ACCOUNT}:secret:${name}-AbCdEf`,
      Name: name,
      VersionId: version.versionId,
      VersionStages: version.stages,
      CreatedDate: 1_700_000_000,
      ...(version.secretBinary ? { SecretBinary: version.secretBinary.toString("base64") } : { SecretString: version.secretString }),
    });
  });

  return {
    ...fake,
    faults,
    signedBy,
    putSecret(name, value, versionId = randomUUID()) {
      const versions = secrets.get(name) ?? [];
      for (const v of versions) v.stages = v.stages.includes("AWSCURRENT") ? ["AWSPREVIOUS"] : v.stages.filter((s) => s !== "AWSPREVIOUS");
      versions.push({ versionId, stages: ["AWSCURRENT"], ...(typeof value === "string" ? { secretString: value } : { secretBinary: value }) });
      secrets.set(name, versions);
      return versionId;
    },
  };
}
