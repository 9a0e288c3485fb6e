import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newSigningKey, signJwt, type SigningAlgorithm } from "@/tests/support/fakes/oidc-issuer";
import { audiencesOf, checkTokenTimes } from "./id-token-claims";
import { IdTokenRefusal, type RefusalReason } from "./id-token-error";
import { decodeJws, isAcceptedAlgorithm, keyFitsAlgorithm, signatureVerifies } from "./jws";

const now = Math.floor(Date.now() / 1000);
const claims = { iss: "https://issuer.example", aud: "provenance", sub: "repo:acme/api", iat: now, exp: now + 300, jti: "j1" };

function refusal(run: () => unknown): RefusalReason | "none" {
  try {
    run();
    return "none";
  } catch (error) {
    if (error instanceof IdTokenRefusal) return error.reason;
    throw error;
  }
}

/** Replaces one part of a compact JWS. */
function withPart(token: string, index: number, part: string): string {
  const parts = token.split(".");
  parts[index] = part;
  return parts.join(".");
}

describe("JWS signatures (real keys from node:crypto)", () => {
  it.each<SigningAlgorithm>(["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"])(
    "%s verifies with the published key",
    (alg) => {
      const key = newSigningKey(alg);
      const jws = decodeJws(signJwt(claims, key));
      expect(jws.payload.sub).toBe("repo:acme/api");
      expect(signatureVerifies(jws, key.jwk)).toBe(true);
    },
  );

  it("a tampered payload or signature does not verify", () => {
    const key = newSigningKey("RS256");
    const token = signJwt(claims, key);
    const forged = withPart(token, 1, Buffer.from(JSON.stringify({ ...claims, sub: "repo:evil/api" })).toString("base64url"));
    expect(signatureVerifies(decodeJws(forged), key.jwk)).toBe(false);
    const signature = Buffer.from(token.split(".")[2]!, "base64url");
    signature[10]! ^= 1;
    expect(signatureVerifies(decodeJws(withPart(token, 2, signature.toString("base64url"))), key.jwk)).toBe(false);
  });

  it("another key of the same kind does not verify", () => {
    const token = signJwt(claims, newSigningKey("ES256"));
    expect(signatureVerifies(decodeJws(token), newSigningKey("ES256").jwk)).toBe(false);
  });

  it("alg none and HMAC algorithms are never accepted, even signed with the public key as the HMAC secret", () => {
    const key = newSigningKey("RS256");
    expect(isAcceptedAlgorithm("none")).toBe(false);
    expect(isAcceptedAlgorithm("HS256")).toBe(false);
    const header = Buffer.from(JSON.stringify({ alg: "HS256", kid: key.kid })).toString("base64url");
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    const mac = createHmac("sha256", JSON.stringify(key.jwk)).update(`${header}.${payload}`).digest("base64url");
    const hs = decodeJws(`${header}.${payload}.${mac}`);
    expect(signatureVerifies(hs, key.jwk)).toBe(false);
    // alg none with an empty signature is not even a well-formed JWS here.
    const none = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    expect(refusal(() => decodeJws(`${none}.${payload}.`))).toBe("malformed");
  });

  it("the header's alg must fit the key: no RS384 or PS256 with an RS256 key, no ES256 with an RSA key", () => {
    const rsa = newSigningKey("RS256");
    expect(keyFitsAlgorithm(rsa.jwk, "RS384")).toBe(false); // the key says alg RS256
    expect(keyFitsAlgorithm({ ...rsa.jwk, alg: undefined }, "ES256")).toBe(false);
    const relabelled = signJwt(claims, rsa, { alg: "PS256" });
    expect(signatureVerifies(decodeJws(relabelled), rsa.jwk)).toBe(false);
    expect(keyFitsAlgorithm({ ...newSigningKey("ES384").jwk, alg: undefined }, "ES256")).toBe(false); // wrong curve
    expect(keyFitsAlgorithm({ ...rsa.jwk, use: "enc" }, "RS256")).toBe(false);
  });

  it("refuses RSA keys under 2048 bits", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const key = {
      kid: "small",
      alg: "RS256" as const,
      privateKey: small.privateKey,
      jwk: { ...small.publicKey.export({ format: "jwk" }), kid: "small", alg: "RS256" },
    };
    expect(signatureVerifies(decodeJws(signJwt(claims, key)), key.jwk)).toBe(false);
  });

  it.each([
    ["two parts", "a.b"],
    ["four parts", "a.b.c.d"],
    ["a header that is not JSON", `${Buffer.from("{").toString("base64url")}.e30.c2ln`],
    [
      "a payload that is an array",
      `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from("[]").toString("base64url")}.c2ln`,
    ],
    ["a crit header", `${Buffer.from('{"alg":"RS256","crit":["x"]}').toString("base64url")}.e30.c2ln`],
    ["characters outside base64url", "a+b.c.d"],
    ["a huge token", `${"a".repeat(20_000)}.b.c`],
  ])("refuses %s as malformed", (_label, token) => {
    expect(refusal(() => decodeJws(token))).toBe("malformed");
  });
});

describe("ID token times and audiences", () => {
  const at = now * 1000;
  it("accepts a current token and gives its expiry", () => {
    expect(checkTokenTimes({ exp: now + 60, iat: now, nbf: now }, at).expiresAt.getTime()).toBe((now + 60) * 1000);
  });
  it("refuses an expired token (beyond 60 s of skew)", () => {
    expect(refusal(() => checkTokenTimes({ exp: now - 61 }, at))).toBe("expired");
    expect(refusal(() => checkTokenTimes({ exp: now - 30 }, at))).toBe("none");
  });
  it("refuses nbf or iat in the future (beyond the skew)", () => {
    expect(refusal(() => checkTokenTimes({ exp: now + 600, nbf: now + 120 }, at))).toBe("not_yet_valid");
    expect(refusal(() => checkTokenTimes({ exp: now + 600, iat: now + 120 }, at))).toBe("not_yet_valid");
    expect(refusal(() => checkTokenTimes({ exp: now + 600, nbf: now + 30 }, at))).toBe("none");
  });
  it("needs a numeric exp", () => {
    expect(refusal(() => checkTokenTimes({}, at))).toBe("malformed");
    expect(refusal(() => checkTokenTimes({ exp: String(now + 60) }, at))).toBe("malformed");
  });
  it("reads aud as a string or a list of strings", () => {
    expect(audiencesOf({ aud: "a" })).toEqual(["a"]);
    expect(audiencesOf({ aud: ["a", 3, "b"] })).toEqual(["a", "b"]);
    expect(audiencesOf({ aud: { a: 1 } })).toEqual([]);
    expect(audiencesOf({})).toEqual([]);
  });
});
