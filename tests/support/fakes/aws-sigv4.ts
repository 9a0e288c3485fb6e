import { createHash, createHmac } from "node:crypto";
import type { RecordedRequest } from "./http";

/**
 * Reads (and, given the secret key, verifies) an AWS Signature Version 4 Authorization header,
 * so tests can prove which access key signed a request and that the secret key was right,
 * without the secret key ever travelling.
 */
export interface SigV4Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function parseSigV4(authorization: string | undefined): SigV4Credential | null {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization ?? "",
    );
  if (!match) return null;
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  return {
    accessKeyId: accessKeyId!,
    date: date!,
    region: region!,
    service: service!,
    signedHeaders: signedHeaders!.split(";"),
    signature: signature!,
  };
}

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

export function verifySigV4(request: RecordedRequest, credential: SigV4Credential, secretAccessKey: string): boolean {
  const [path, query = ""] = request.path.split("?");
  const canonicalHeaders = credential.signedHeaders
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const payloadHash = String(request.headers["x-amz-content-sha256"] ?? sha256(request.body));
  const canonicalRequest = [request.method, path, query, canonicalHeaders, credential.signedHeaders.join(";"), payloadHash].join("\n");
  const scope = `${credential.date}/${credential.region}/${credential.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", String(request.headers["x-amz-date"]), scope, sha256(canonicalRequest)].join("\n");
  let key = hmac(`AWS4${secretAccessKey}`, credential.date);
  for (const part of [credential.region, credential.service, "aws4_request"]) key = hmac(key, part);
  return createHmac("sha256", key).update(stringToSign).digest("hex") === credential.signature;
}
