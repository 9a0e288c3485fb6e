import { constants, createHash, verify, X509Certificate } from "node:crypto";

/**
 * What Entra ID checks in a client assertion (grant_type=client_credentials with
 * client_assertion_type=…jwt-bearer): for an app with a federated credential, the presented token
 * itself (here: it must be the one configured, as Entra matches issuer, subject and audience); for
 * an app with a certificate, a JWT the client signed with the certificate's key. Refusals carry
 * Entra's OAuth error and an AADSTS code, as its token endpoint does.
 */
export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface AssertionRefusal {
  error: string;
  aadsts: number;
  description: string;
}

const refuse = (aadsts: number, description: string, error = "invalid_client"): AssertionRefusal => ({ error, aadsts, description });
const base64url = (bytes: Buffer) => bytes.toString("base64url");

export function checkFederatedAssertion(assertion: string, expected: string): AssertionRefusal | null {
  return assertion === expected ? null : refuse(70021, "No matching federated identity record found for presented assertion.");
}

/**
 * A certificate-signed assertion: RS256 or PS256 with the certificate's public key, x5t (SHA-1) or
 * x5t#S256 naming this certificate, aud the token endpoint, iss = sub = the client ID, in its time.
 */
export function checkCertificateAssertion(
  assertion: string,
  expected: { certificatePem: string; clientId: string; tokenEndpoint: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): AssertionRefusal | null {
  const parts = assertion.split(".");
  if (parts.length !== 3) return refuse(50027, "JWT token is invalid or malformed.", "invalid_request");
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return refuse(50027, "JWT token is invalid or malformed.", "invalid_request");
  }
  const certificate = new X509Certificate(expected.certificatePem);
  const sha1 = base64url(createHash("sha1").update(certificate.raw).digest());
  const sha256 = base64url(createHash("sha256").update(certificate.raw).digest());
  if (header.x5t !== sha1 && header["x5t#S256"] !== sha256) {
    return refuse(700027, "Client assertion contains an invalid signature. [Reason - The key was not found.]");
  }
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, "base64url");
  const key = certificate.publicKey;
  const valid =
    header.alg === "RS256"
      ? verify("sha256", signed, key, signature)
      : header.alg === "PS256"
        ? verify(
            "sha256",
            signed,
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
            signature,
          )
        : false;
  if (!valid) return refuse(700027, "Client assertion failed signature validation.");
  if (claims.aud !== expected.tokenEndpoint) return refuse(700212, "No matching audience: the assertion's aud must be the token endpoint.");
  if (claims.iss !== expected.clientId || claims.sub !== expected.clientId) {
    return refuse(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  const skew = 300;
  if (
    typeof claims.exp !== "number" ||
    claims.exp + skew < nowSeconds ||
    (typeof claims.nbf === "number" && claims.nbf - skew > nowSeconds)
  ) {
    return refuse(700024, "Client assertion is not within its valid time range.");
  }
  return null;
}
