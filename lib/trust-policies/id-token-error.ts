/**
 * Why an ID token was refused. Each reason has a message that says what was wrong with the token
 * without repeating it (nor any claim an attacker could fill with text).
 */
export type RefusalReason =
  | "malformed"
  | "unsupported_algorithm"
  | "unknown_issuer"
  | "unknown_key"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "missing_jti"
  | "wrong_audience"
  | "replayed"
  | "no_matching_policy";

const MESSAGES: Record<RefusalReason, string> = {
  malformed: "The ID token is not a well-formed signed JWT (header.payload.signature, with iss and exp claims).",
  unsupported_algorithm:
    "The ID token's signing algorithm is not accepted (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA; never none or HMAC).",
  unknown_issuer: "No trust policy names the ID token's issuer (iss).",
  unknown_key:
    "The ID token is signed with a key its issuer does not publish (kid not in the issuer's JWKS, or the key does not fit the algorithm).",
  bad_signature: "The ID token's signature does not verify with its issuer's key.",
  expired: "The ID token has expired (exp).",
  not_yet_valid: "The ID token is not valid yet (nbf or iat lies in the future).",
  missing_jti: "The ID token has no jti claim, so its reuse could not be detected.",
  wrong_audience: "The ID token's audience (aud) is not the audience of any trust policy for its issuer.",
  replayed: "This ID token has already been exchanged (its jti was used before).",
  no_matching_policy: "The ID token's claims match no trust policy for its issuer and audience.",
};

export class IdTokenRefusal extends Error {
  constructor(readonly reason: RefusalReason) {
    super(MESSAGES[reason]);
    this.name = "IdTokenRefusal";
  }
}
