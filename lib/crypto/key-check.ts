/**
 * The key check: a known plaintext encrypted under the master key and stored in the database
 * (settings row "master_key_check"), so the server can tell at start-up, before touching any
 * secret, whether SECRETS_MASTER_KEY is the key the data was written with. A wrong key would
 * otherwise only show up later as failed decryptions of individual secrets.
 *
 * It is an ordinary pv1 envelope, so it names its key id (useful in the start-up error) and is
 * re-encrypted by `key rotate` like everything else.
 */
import { aadFor, decrypt, encrypt, isCurrentKey, keyIdOf } from "./envelope";
import type { Keyring } from "./keyring";

const KEY_CHECK_PLAINTEXT = "provenance master key check v1";
const KEY_CHECK_AAD = aadFor("settings", "master_key_check", "value");

export type KeyCheckResult = "current" | "previous" | "mismatch";

/** A new key check under the current key, to store when the database is first set up or after rotation. */
export function createKeyCheck(keyring: Keyring): string {
  return encrypt(keyring, KEY_CHECK_PLAINTEXT, KEY_CHECK_AAD);
}

/**
 * "current": the data is under SECRETS_MASTER_KEY. "previous": it is under
 * SECRETS_MASTER_KEY_PREVIOUS (a rotation is pending or under way). "mismatch": neither key
 * opens it (or the stored check is damaged): the server must refuse to start.
 */
export function verifyKeyCheck(keyring: Keyring, stored: string): KeyCheckResult {
  try {
    if (decrypt(keyring, stored, KEY_CHECK_AAD) !== KEY_CHECK_PLAINTEXT) return "mismatch";
  } catch {
    return "mismatch";
  }
  return isCurrentKey(keyring, stored) ? "current" : "previous";
}

/** A log-safe sentence for a mismatch, naming the key ids involved (ids reveal nothing about keys). */
export function describeKeyMismatch(keyring: Keyring, stored: string): string {
  const dataKey = keyIdOf(stored);
  const configured = [keyring.current.id, keyring.previous?.id].filter(Boolean).join(", ");
  return dataKey
    ? `SECRETS_MASTER_KEY does not match the key the data was encrypted with (data key id ${dataKey}; configured key id(s) ${configured}).`
    : `The stored master key check is damaged; cannot confirm that SECRETS_MASTER_KEY matches the data (configured key id(s) ${configured}).`;
}
