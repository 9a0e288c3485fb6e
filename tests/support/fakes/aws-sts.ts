import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { parseSigV4, verifySigV4 } from "./aws-sigv4";
import { FaultQueue, type RecordedRequest } from "./http";

/**
 * AWS STS's Query protocol (POST / with a form body, XML replies), served by the AWS fake beside
 * Secrets Manager: AssumeRole (SigV4-signed by a known access key, ExternalId checked against the
 * role's) and AssumeRoleWithWebIdentity (unsigned; the token must be the one the role trusts).
 * Issued credentials are remembered, so the Secrets Manager side accepts them only with their
 * session token (X-Amz-Security-Token) and only until they expire.
 */
export interface FakeRole {
  /** The sts:ExternalId condition of the trust policy, if any. */
  externalId?: string;
  /** Access key ids the trust policy lets call AssumeRole (default: every known key). */
  trustedKeys?: string[];
  /** The web identity token the role trusts (AssumeRoleWithWebIdentity). */
  webIdentityToken?: string;
  /** Lifetime of the issued credentials (default 3600 s; real STS has 900 s at least). */
  durationSeconds?: number;
}

export interface StsCall {
  action: string;
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  /** The access key that signed it ("" for a web identity). */
  signedBy: string;
  /** When the fake received it (ms since the epoch). */
  at: number;
  /** The access key id issued, when the call succeeded, and when it expires. */
  issued?: string;
  expiresAt?: number;
}

interface Issued {
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  roleArn: string;
}

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

export function isStsRequest(recorded: RecordedRequest): boolean {
  return (
    String(recorded.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") && /(^|&)Action=/.test(recorded.body)
  );
}

export class FakeSts {
  readonly calls: StsCall[] = [];
  /** Error answers (status and code) the next STS requests get, before anything is checked. */
  readonly faults = new FaultQueue();
  private readonly issued = new Map<string, Issued>();

  constructor(
    private readonly roles: Record<string, FakeRole>,
    private readonly accessKeys: Record<string, string>,
  ) {}

  /**
   * The secret key for a temporary access key id, or an error code: ExpiredTokenException once it
   * ran out, InvalidClientTokenId without the right session token; undefined for keys STS never issued.
   */
  temporaryKey(accessKeyId: string, headers: IncomingHttpHeaders, now = Date.now()): { secretKey: string } | { error: string } | undefined {
    const issued = this.issued.get(accessKeyId);
    if (!issued) return undefined;
    if (headers["x-amz-security-token"] !== issued.sessionToken) return { error: "InvalidClientTokenId" };
    if (now >= issued.expiresAt) return { error: "ExpiredTokenException" };
    return { secretKey: issued.secretAccessKey };
  }

  /** Ends an issued session now, as a revoked or early-expired one: AWS then answers ExpiredTokenException. */
  expire(accessKeyId: string): void {
    const issued = this.issued.get(accessKeyId);
    if (issued) issued.expiresAt = 0;
  }

  /** Credentials issued for a role that are still valid. */
  liveSessions(roleArn: string, now = Date.now()): number {
    return [...this.issued.values()].filter((i) => i.roleArn === roleArn && now < i.expiresAt).length;
  }

  answer(res: ServerResponse, recorded: RecordedRequest): void {
    const form = new URLSearchParams(recorded.body);
    const action = form.get("Action") ?? "";
    const roleArn = form.get("RoleArn") ?? "";
    const call: StsCall = { action, roleArn, roleSessionName: form.get("RoleSessionName") ?? "", signedBy: "", at: Date.now() };
    if (form.has("ExternalId")) call.externalId = form.get("ExternalId")!;
    this.calls.push(call);
    const role = this.roles[roleArn];
    const fault = this.faults.take();
    if (fault?.status) return stsError(res, fault.status, fault.code ?? "InternalFailure", fault.message ?? "fault");

    if (action === "AssumeRole") {
      const credential = parseSigV4(recorded.headers.authorization);
      if (!credential) return stsError(res, 400, "MissingAuthenticationToken", "Request is missing Authentication Token");
      call.signedBy = credential.accessKeyId;
      const secretKey = this.accessKeys[credential.accessKeyId];
      if (secretKey === undefined)
        return stsError(res, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
      if (credential.service !== "sts" || !verifySigV4(recorded, credential, secretKey)) {
        return stsError(
          res,
          403,
          "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided.",
        );
      }
      const trusted = role && (role.trustedKeys ?? Object.keys(this.accessKeys)).includes(credential.accessKeyId);
      if (!trusted || (role.externalId ?? null) !== (form.get("ExternalId") ?? null)) {
        return stsError(
          res,
          403,
          "AccessDenied",
          `User: arn:aws:iam::123456789012:user/caller is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        );
      }
    } else if (action === "AssumeRoleWithWebIdentity") {
      if (recorded.headers.authorization) return stsError(res, 400, "InvalidAction", "AssumeRoleWithWebIdentity is not signed");
      const token = form.get("WebIdentityToken") ?? "";
      if (!role?.webIdentityToken) return stsError(res, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
      if (token !== role.webIdentityToken)
        return stsError(res, 400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider");
    } else {
      return stsError(res, 400, "InvalidAction", `Could not find operation ${action.slice(0, 40)}`);
    }

    const accessKeyId = `ASIA${randomBytes(8).toString("hex").toUpperCase()}`;
    const issued: Issued = {
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: randomBytes(48).toString("base64"),
      expiresAt: Date.now() + (role.durationSeconds ?? 3600) * 1000,
      roleArn,
    };
    this.issued.set(accessKeyId, issued);
    call.issued = accessKeyId;
    call.expiresAt = issued.expiresAt;
    const expiration = new Date(issued.expiresAt).toISOString();
    sendXml(
      res,
      200,
      `<${action}Response xmlns="${NS}"><${action}Result><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId>` +
        `<SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey><SessionToken>${issued.sessionToken}</SessionToken>` +
        `<Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn.replace(":role/", ":assumed-role/")}/${call.roleSessionName}</Arn>` +
        `<AssumedRoleId>AROA${accessKeyId.slice(4)}:${call.roleSessionName}</AssumedRoleId></AssumedRoleUser></${action}Result>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
    );
  }
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function stsError(res: ServerResponse, status: number, code: string, message: string): void {
  const escaped = message.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  sendXml(
    res,
    status,
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escaped}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}
