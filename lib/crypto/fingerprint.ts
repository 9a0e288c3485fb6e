/**
 * Value fingerprints: a short, keyed digest that lets a person check whether two values are the
 * same (e.g. "is the Vault secret the one I expect?") without either value being shown.
 *
 * HMAC-SHA256 under a key derived from the master key, not a plain hash: secret values are often
 * short or guessable, and an unkeyed hash could be brute-forced offline by anyone who sees it.
 * 96 bits (16 base64url chars) are plenty to tell values apart and reveal less than a full digest.
 * Fingerprints are stable for one master key and change when it is rotated.
 */
import { createHmac } from "node:crypto";

import type { Keyring } from "./keyring";

const PREFIX = "hmac-sha256:";

export function fingerprint(keyring: Keyring, value: string): string {
  const digest = createHmac("sha256", keyring.current.macKey).update(value, "utf8").digest("base64url");
  return PREFIX + digest.slice(0, 16);
}
