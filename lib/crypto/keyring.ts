/**
 * The keyring: every key Provenance uses, derived once from SECRETS_MASTER_KEY (and
 * SECRETS_MASTER_KEY_PREVIOUS while rotating).
 *
 * Why HKDF-SHA256 and not scrypt/argon2: the master key is a machine-generated random string
 * (>= 32 characters, 256 bits when made with the commands below), not a human password, so a
 * slow password KDF adds nothing but latency. HKDF extracts that entropy once at start-up and
 * expands it into independent keys, one per purpose (fixed `info` strings below), so the AES key,
 * the fingerprint MAC key, the key id and e.g. the session-signing secret never share bytes: a
 * leak of one reveals nothing about the others or about the master key.
 *
 * Why a key id: ciphertexts name the key that made them, so decryption can pick current or
 * previous key during rotation without trial decryption, and a wrong key is reported as such.
 * The id is its own HKDF output (8 bytes, 16 hex chars): it identifies the key but is useless for
 * attacking it.
 *
 * The derived keys are stored as non-enumerable properties, so logging or JSON-serialising a
 * keyring by accident prints only the key ids.
 */
import { hkdfSync, randomBytes } from "node:crypto";

export type MasterKey = {
  /** 16 lowercase hex chars naming this key; safe to log and to store. */
  readonly id: string;
  /** 32-byte AES-256-GCM key. */
  readonly encryptionKey: Buffer;
  /** 32-byte HMAC-SHA256 key for value fingerprints. */
  readonly macKey: Buffer;
};

export type Keyring = {
  /** Encrypts everything new; decrypts what names its id. */
  readonly current: MasterKey;
  /** Only decrypts (set from SECRETS_MASTER_KEY_PREVIOUS while rotating). */
  readonly previous?: MasterKey;
};

/** Thrown by `createKeyring` for a missing or unusable key. The message never contains the key. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyringError";
  }
}

export const MIN_MASTER_KEY_LENGTH = 32;

/**
 * Fixed HKDF parameters. Changing any of them changes every derived key and makes all stored data
 * unreadable: they are part of the on-disk format (the "1" matches the `pv1` envelope version).
 */
const HKDF_SALT = "provenance/hkdf-salt/v1";
const INFO = {
  encryption: "provenance/v1/encryption-key/aes-256-gcm",
  keyId: "provenance/v1/key-id",
  fingerprint: "provenance/v1/fingerprint-mac/hmac-sha256",
  /** Prefix for `deriveSecret`; the purpose name follows, so no purpose can equal a key above. */
  purpose: "provenance/v1/purpose/",
} as const;

const HOW_TO_GENERATE =
  "Generate one with `openssl rand -base64 32` or " + "`node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"`.";

/** Master secret of each key, kept out of the object so it is never logged or copied. */
const secrets = new WeakMap<MasterKey, Buffer>();

function hkdf(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, HKDF_SALT, info, 32));
}

function normalize(value: string | undefined): string | undefined {
  // Surrounding whitespace is almost always an accident (a trailing newline in a secrets file,
  // a space after `=` in .env); ignoring it keeps one key from silently becoming two.
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function deriveMasterKey(secretText: string): MasterKey {
  const secret = Buffer.from(secretText, "utf8");
  const key = {} as MasterKey;
  Object.defineProperty(key, "id", { value: hkdf(secret, INFO.keyId).subarray(0, 8).toString("hex"), enumerable: true });
  Object.defineProperty(key, "encryptionKey", { value: hkdf(secret, INFO.encryption), enumerable: false });
  Object.defineProperty(key, "macKey", { value: hkdf(secret, INFO.fingerprint), enumerable: false });
  Object.freeze(key);
  secrets.set(key, secret);
  return key;
}

function validate(value: string, variable: string): void {
  if (value.length < MIN_MASTER_KEY_LENGTH) {
    throw new KeyringError(
      `${variable} is too short (${value.length} characters; at least ${MIN_MASTER_KEY_LENGTH} are required). ` + HOW_TO_GENERATE,
    );
  }
}

/**
 * Builds the keyring from the configured secrets. Call it once at start-up (and in the CLI) and
 * pass the result around: derivation is cheap but there is no reason to repeat it per request.
 * Empty strings count as unset, so a blank `SECRETS_MASTER_KEY_PREVIOUS=` line is harmless.
 */
export function createKeyring(options: { masterKey: string | undefined; previousKey?: string | undefined }): Keyring {
  const masterKey = normalize(options.masterKey);
  if (masterKey === undefined) {
    throw new KeyringError(`SECRETS_MASTER_KEY is not set. ${HOW_TO_GENERATE}`);
  }
  validate(masterKey, "SECRETS_MASTER_KEY");

  const previousKey = normalize(options.previousKey);
  if (previousKey === undefined) {
    return Object.freeze({ current: deriveMasterKey(masterKey) });
  }
  validate(previousKey, "SECRETS_MASTER_KEY_PREVIOUS");
  if (previousKey === masterKey) {
    throw new KeyringError(
      "SECRETS_MASTER_KEY_PREVIOUS is the same as SECRETS_MASTER_KEY. During rotation it must hold the old key; " +
        "after `npx provenance key rotate` has finished, remove it.",
    );
  }
  return Object.freeze({ current: deriveMasterKey(masterKey), previous: deriveMasterKey(previousKey) });
}

/** A new random master key: 32 bytes (256 bits), base64url, 43 characters. */
export function generateMasterKey(): string {
  return randomBytes(32).toString("base64url");
}

const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * A 32-byte secret for another subsystem (e.g. `deriveSecret(keyring, "session")` to sign
 * sessions), derived from the current key and independent of every other derived key.
 * It changes when the master key is rotated (for sessions: everyone signs in again).
 */
export function deriveSecret(keyring: Keyring, purpose: string): Buffer {
  if (!PURPOSE_PATTERN.test(purpose)) {
    throw new TypeError(`deriveSecret: purpose must match ${PURPOSE_PATTERN} (got ${JSON.stringify(purpose)}).`);
  }
  const secret = secrets.get(keyring.current);
  if (!secret) {
    throw new TypeError("deriveSecret: the keyring was not made by createKeyring.");
  }
  return hkdf(secret, INFO.purpose + purpose);
}
