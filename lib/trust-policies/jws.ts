import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { IdTokenRefusal } from "./id-token-error";

/**
 * Compact JWS (a signed JWT) with node:crypto alone. Only asymmetric algorithms are accepted: the
 * key comes from the issuer's published JWKS, and `none` or an HMAC algorithm would let anyone who
 * knows the public key (everyone) sign. The algorithm named in the header must also fit the key
 * (its kty, curve and, when the key says one, its alg), so a key cannot be used with an algorithm
 * it was not made for.
 */
export interface DecodedJws {
  header: { alg: string; kid?: string } & Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

type Spec = { kty: "RSA"; hash: string; pss: boolean } | { kty: "EC"; hash: string; crv: string } | { kty: "OKP"; hash: null };

const ALGORITHMS: Record<string, Spec> = {
  RS256: { kty: "RSA", hash: "sha256", pss: false },
  RS384: { kty: "RSA", hash: "sha384", pss: false },
  RS512: { kty: "RSA", hash: "sha512", pss: false },
  PS256: { kty: "RSA", hash: "sha256", pss: true },
  PS384: { kty: "RSA", hash: "sha384", pss: true },
  PS512: { kty: "RSA", hash: "sha512", pss: true },
  ES256: { kty: "EC", hash: "sha256", crv: "P-256" },
  ES384: { kty: "EC", hash: "sha384", crv: "P-384" },
  ES512: { kty: "EC", hash: "sha512", crv: "P-521" },
  EdDSA: { kty: "OKP", hash: null },
};

/** ID tokens are a few KiB; a bigger one is not worth decoding. */
const MAX_TOKEN_CHARS = 16 * 1024;
const MIN_RSA_BITS = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function isAcceptedAlgorithm(alg: unknown): alg is string {
  return typeof alg === "string" && Object.hasOwn(ALGORITHMS, alg);
}

/** Splits and decodes a compact JWS; nothing is trusted yet. Throws IdTokenRefusal("malformed"). */
export function decodeJws(token: string): DecodedJws {
  if (token.length > MAX_TOKEN_CHARS) throw new IdTokenRefusal("malformed");
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw new IdTokenRefusal("malformed");
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeObject(headerPart);
  const payload = decodeObject(payloadPart);
  if (typeof header.alg !== "string") throw new IdTokenRefusal("malformed");
  if (header.kid !== undefined && typeof header.kid !== "string") throw new IdTokenRefusal("malformed");
  // Extensions the signer marks critical must be understood; we understand none.
  if (header.crit !== undefined) throw new IdTokenRefusal("malformed");
  return {
    header: header as DecodedJws["header"],
    payload,
    signingInput: Buffer.from(`${headerPart}.${payloadPart}`, "ascii"),
    signature: Buffer.from(signaturePart, "base64url"),
  };
}

function decodeObject(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new IdTokenRefusal("malformed");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new IdTokenRefusal("malformed");
  return value as Record<string, unknown>;
}

/** Whether this published key may verify a signature made with `alg`. */
export function keyFitsAlgorithm(jwk: JsonWebKey, alg: string): boolean {
  const spec = ALGORITHMS[alg];
  if (!spec || jwk.kty !== spec.kty) return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (jwk.use !== undefined && jwk.use !== "sig") return false;
  if (spec.kty === "EC" && jwk.crv !== spec.crv) return false;
  if (spec.kty === "OKP" && jwk.crv !== "Ed25519" && jwk.crv !== "Ed448") return false;
  return true;
}

/** Verifies the signature with one key (which must fit the header's algorithm). */
export function signatureVerifies(jws: DecodedJws, jwk: JsonWebKey): boolean {
  const spec = ALGORITHMS[jws.header.alg];
  if (!spec || !keyFitsAlgorithm(jwk, jws.header.alg)) return false;
  const key = publicKey(jwk);
  if (!key) return false;
  if (spec.kty === "RSA" && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return false;
  try {
    if (spec.kty === "RSA" && spec.pss) {
      return verify(
        spec.hash,
        jws.signingInput,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        jws.signature,
      );
    }
    if (spec.kty === "EC") return verify(spec.hash, jws.signingInput, { key, dsaEncoding: "ieee-p1363" }, jws.signature);
    return verify(spec.hash, jws.signingInput, key, jws.signature);
  } catch {
    return false;
  }
}

/** The public part of a JWK as a key object; a published private member (d, p, q…) is ignored. */
function publicKey(jwk: JsonWebKey): KeyObject | null {
  const { kty, n, e, crv, x, y } = jwk;
  try {
    return createPublicKey({ key: { kty, n, e, crv, x, y } as JsonWebKey, format: "jwk" });
  } catch {
    return null;
  }
}
