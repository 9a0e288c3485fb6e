/**
 * Authenticated encryption of one value: AES-256-GCM in a small, versioned text envelope
 *
 *     pv1.<keyId>.<nonce>.<ciphertext||tag>        (nonce and ciphertext base64url, no padding)
 *
 * - A fresh random 96-bit nonce per call: 96 bits is GCM's native nonce size (other sizes are
 *   hashed into one and lose margin). Random nonces stay safe far beyond the number of values a
 *   Provenance instance will ever encrypt under one key (NIST's bound is 2^32 per key).
 * - The header names the format version and the key, so rotation can tell old from new values.
 * - Associated data binds a ciphertext to where it lives: GCM authenticates
 *   "pv1.<keyId>.<table>:<rowId>:<field>", so editing the header, or copying a ciphertext into
 *   another row or another column, fails authentication instead of decrypting someone else's value.
 *   Build the location with `aadFor` and nothing else, so writers and readers always agree.
 * - Failures are a `DecryptionError` with a coarse `reason`; messages never carry the plaintext,
 *   a key or the token, so they can be logged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import type { Keyring, MasterKey } from "./keyring";

const VERSION = "pv1";
const ALGORITHM = "aes-256-gcm";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;

export type DecryptionFailure = "malformed" | "unknown_key" | "authentication_failed";

const MESSAGES: Record<DecryptionFailure, string> = {
  malformed: "The encrypted value is malformed (not a pv1 envelope, or truncated).",
  unknown_key: "The value was encrypted with a master key that is neither SECRETS_MASTER_KEY nor SECRETS_MASTER_KEY_PREVIOUS.",
  authentication_failed:
    "The encrypted value failed authentication: it was altered, moved to another record or field, or the master key is wrong.",
};

export class DecryptionError extends Error {
  readonly reason: DecryptionFailure;
  /** The key id named by the token, when it could be read (safe to log). */
  readonly keyId: string | undefined;

  constructor(reason: DecryptionFailure, keyId?: string) {
    super(keyId ? `${MESSAGES[reason]} (key id ${keyId})` : MESSAGES[reason]);
    this.name = "DecryptionError";
    this.reason = reason;
    this.keyId = keyId;
  }
}

export function isDecryptionError(value: unknown): value is DecryptionError {
  return value instanceof DecryptionError;
}

/** The canonical associated data for a field of a row: "table:rowId:field". */
export function aadFor(table: string, rowId: string, field: string): string {
  for (const [name, part] of [
    ["table", table],
    ["rowId", rowId],
    ["field", field],
  ] as const) {
    if (typeof part !== "string" || part.length === 0 || part.includes(":")) {
      throw new TypeError(`aadFor: ${name} must be a non-empty string without ':'.`);
    }
  }
  return `${table}:${rowId}:${field}`;
}

function assertAad(aad: string): void {
  // Only aadFor's shape is accepted, so an empty or ad-hoc AAD cannot slip in by mistake.
  const parts = typeof aad === "string" ? aad.split(":") : [];
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    throw new TypeError('aad must come from aadFor(table, rowId, field) ("table:rowId:field").');
  }
}

function associatedData(keyId: string, aad: string): Buffer {
  // Version and key id have fixed alphabets without '.', so this concatenation is unambiguous.
  return Buffer.from(`${VERSION}.${keyId}.${aad}`, "utf8");
}

/** Strict base64url: rejects stray characters and non-canonical trailing bits. */
function decodeBase64url(text: string): Buffer | null {
  if (!BASE64URL_PATTERN.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

type Envelope = { keyId: string; nonce: Buffer; sealed: Buffer };

function parse(token: string): Envelope | null {
  if (typeof token !== "string") return null;
  const parts = token.split(".");
  if (parts.length !== 4) return null;
  const [version, keyId, nonceText, sealedText] = parts as [string, string, string, string];
  if (version !== VERSION || !KEY_ID_PATTERN.test(keyId)) return null;
  const nonce = decodeBase64url(nonceText);
  const sealed = decodeBase64url(sealedText);
  if (!nonce || nonce.length !== NONCE_BYTES || !sealed || sealed.length < TAG_BYTES) return null;
  return { keyId, nonce, sealed };
}

/** Encrypts `plaintext` under the current key, bound to `aad` (from `aadFor`). */
export function encrypt(keyring: Keyring, plaintext: string, aad: string): string {
  assertAad(aad);
  if (typeof plaintext !== "string") throw new TypeError("encrypt: plaintext must be a string.");
  const data = Buffer.from(plaintext, "utf8");
  // A lone UTF-16 surrogate would come back as U+FFFD: refuse instead of silently changing a secret.
  if (data.toString("utf8") !== plaintext) {
    throw new TypeError("encrypt: plaintext is not well-formed Unicode (it contains a lone surrogate).");
  }
  const key = keyring.current;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.encryptionKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(key.id, aad));
  const sealed = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${key.id}.${nonce.toString("base64url")}.${sealed.toString("base64url")}`;
}

function keyFor(keyring: Keyring, keyId: string): MasterKey | undefined {
  if (keyring.current.id === keyId) return keyring.current;
  if (keyring.previous?.id === keyId) return keyring.previous;
  return undefined;
}

/**
 * Decrypts a token made by `encrypt` with the key it names (current or previous) and the same
 * `aad`. Throws `DecryptionError` for anything else; never returns garbage.
 */
export function decrypt(keyring: Keyring, token: string, aad: string): string {
  assertAad(aad);
  const envelope = parse(token);
  if (!envelope) throw new DecryptionError("malformed");
  const key = keyFor(keyring, envelope.keyId);
  if (!key) throw new DecryptionError("unknown_key", envelope.keyId);

  const ciphertext = envelope.sealed.subarray(0, envelope.sealed.length - TAG_BYTES);
  const tag = envelope.sealed.subarray(envelope.sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key.encryptionKey, envelope.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(key.id, aad));
    decipher.setAuthTag(tag);
    const data = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return data.toString("utf8");
  } catch {
    // Node's own message says nothing useful and the cause must not leak into logs: replace it.
    throw new DecryptionError("authentication_failed", envelope.keyId);
  }
}

/** The key id a token names, or null if it is not a well-formed pv1 envelope. */
export function keyIdOf(token: string): string | null {
  return parse(token)?.keyId ?? null;
}

/** Whether the token was made with the keyring's current key (i.e. rotation can skip it). */
export function isCurrentKey(keyring: Keyring, token: string): boolean {
  return keyIdOf(token) === keyring.current.id;
}

/**
 * For `provenance key rotate`: the same value, encrypted under the current key. A token already
 * under the current key is returned unchanged (after checking it still decrypts), so rotation can
 * be re-run safely after an interruption.
 */
export function reencrypt(keyring: Keyring, token: string, aad: string): string {
  const plaintext = decrypt(keyring, token, aad);
  return isCurrentKey(keyring, token) ? token : encrypt(keyring, plaintext, aad);
}
