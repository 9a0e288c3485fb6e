import { createHmac, timingSafeEqual } from "node:crypto";
import { deriveSecret, type Keyring } from "@/lib/crypto";
import { keyring } from "@/lib/keys/keyring";

/**
 * Keys sign-in derives from the master key: one for digests of what someone typed as an account
 * name (stored instead of the text, which may be a password typed into the wrong box), one for
 * device cookies. During a key rotation the previous key's MAC still verifies, so devices stay
 * known while instances restart.
 */
type Purpose = "signin-typed-account" | "signin-device";

/** The current key first, then (during a rotation) the previous one. */
function keys(purpose: Purpose): [Buffer, ...Buffer[]] {
  const ring = keyring();
  const derive = (current: Keyring["current"]) => deriveSecret({ current }, purpose);
  return ring.previous ? [derive(ring.current), derive(ring.previous)] : [derive(ring.current)];
}

export function mac(purpose: Purpose, text: string): string {
  return createHmac("sha256", keys(purpose)[0]).update(text, "utf8").digest("base64url");
}

/** Whether `tag` is `text`'s MAC under the current key or, during a rotation, the previous one. */
export function macMatches(purpose: Purpose, text: string, tag: string): boolean {
  const given = Buffer.from(tag, "utf8");
  return keys(purpose).some((key) => {
    const expected = Buffer.from(createHmac("sha256", key).update(text, "utf8").digest("base64url"), "utf8");
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/**
 * What the audit log and the sign-in counters keep of an account name that matches no account: a
 * keyed digest, the same for the same text (so repeated attempts can be told apart and counted)
 * but useless for recovering the text without the master key.
 */
export function typedAccountDigest(typed: string): string {
  return `hmac-sha256:${mac("signin-typed-account", typed).slice(0, 22)}`;
}
