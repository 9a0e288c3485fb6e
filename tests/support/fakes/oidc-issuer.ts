import { constants, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from "node:crypto";
import { sendJson, startHttpFake, type RecordedRequest } from "./http";

/**
 * An OIDC issuer as Provenance's token exchange sees one: `/.well-known/openid-configuration`
 * naming a `jwks_uri`, the JWKS, and ID tokens signed with the matching private keys (RS256 like
 * GitHub Actions by default). Also usable without a server: `newSigningKey` and `signJwt` make
 * real signatures with node:crypto for unit tests.
 */
export type SigningAlgorithm = "RS256" | "RS384" | "RS512" | "PS256" | "ES256" | "ES384" | "EdDSA";

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
  /** The public JWK as the issuer publishes it (with kid, alg and use). */
  jwk: JsonWebKey;
}

export function newSigningKey(alg: SigningAlgorithm = "RS256", kid = randomUUID()): SigningKey {
  const pair =
    alg === "EdDSA"
      ? generateKeyPairSync("ed25519")
      : alg.startsWith("ES")
        ? generateKeyPairSync("ec", { namedCurve: alg === "ES256" ? "P-256" : "P-384" })
        : generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...pair.publicKey.export({ format: "jwk" }), kid, alg, use: "sig" } as JsonWebKey;
  return { kid, alg, privateKey: pair.privateKey, jwk };
}

const HASHES: Record<SigningAlgorithm, string | null> = {
  RS256: "sha256",
  RS384: "sha384",
  RS512: "sha512",
  PS256: "sha256",
  ES256: "sha256",
  ES384: "sha384",
  EdDSA: null,
};

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A compact JWS over `claims`; `header` overrides or adds header members (e.g. alg: "none"). */
export function signJwt(claims: Record<string, unknown>, key: SigningKey, header: Record<string, unknown> = {}): string {
  const input = `${encode({ typ: "JWT", alg: key.alg, kid: key.kid, ...header })}.${encode(claims)}`;
  const hash = HASHES[key.alg];
  const signature =
    key.alg === "PS256"
      ? sign(hash, Buffer.from(input), {
          key: key.privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        })
      : key.alg.startsWith("ES")
        ? sign(hash, Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" })
        : sign(hash, Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString("base64url")}`;
}

export interface OidcIssuerFake {
  /** The issuer URL, as policies name it and tokens carry it in iss. */
  issuer: string;
  keys: SigningKey[];
  requests: RecordedRequest[];
  /** An ID token with fresh iat/nbf/exp (5 minutes) and jti, claims on top; signed with the first key. */
  idToken(claims: Record<string, unknown>, options?: { key?: SigningKey; header?: Record<string, unknown> }): string;
  /** Publishes a new key (first in the set) and returns it. */
  rotate(alg?: SigningAlgorithm): SigningKey;
  close(): Promise<void>;
}

export async function startOidcIssuerFake(alg: SigningAlgorithm = "RS256"): Promise<OidcIssuerFake> {
  const keys: SigningKey[] = [newSigningKey(alg)];
  let issuer = "";
  const fake = await startHttpFake((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && path === "/.well-known/openid-configuration") {
      return sendJson(res, 200, {
        issuer,
        jwks_uri: `${issuer}/keys`,
        id_token_signing_alg_values_supported: [...new Set(keys.map((k) => k.alg))],
      });
    }
    if (req.method === "GET" && path === "/keys") return sendJson(res, 200, { keys: keys.map((k) => k.jwk) });
    sendJson(res, 404, { error: "not found" });
  });
  issuer = fake.url;
  return {
    issuer,
    keys,
    requests: fake.requests,
    idToken(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(
        { iss: issuer, iat: now, nbf: now, exp: now + 300, jti: randomUUID(), ...claims },
        options.key ?? keys[0]!,
        options.header,
      );
    },
    rotate(next = alg) {
      const key = newSigningKey(next);
      keys.unshift(key);
      return key;
    },
    close: fake.close,
  };
}
