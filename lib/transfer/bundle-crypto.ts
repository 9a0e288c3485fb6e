/**
 * The encrypted bundle that `npx provenance export` writes and `import` reads: a small JSON file
 *
 *     {
 *       "format": "provenance-bundle", "version": 1,
 *       "kdf": { "name": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": "<base64url, 16 bytes>" },
 *       "cipher": "aes-256-gcm",
 *       "nonce": "<base64url, 12 bytes>",
 *       "ciphertext": "<base64url of ciphertext || 16-byte tag>"
 *     }
 *
 * - The key comes from a passphrase, not the master key, so a bundle can move to an install with
 *   another master key. scrypt with N=2^17, r=8, p=1 (128 MiB, OWASP's recommendation) makes
 *   every guess expensive; a fresh random salt per bundle defeats precomputation.
 * - AES-256-GCM with a fresh random 96-bit nonce (one key per bundle, so one nonce per key).
 * - Everything above except the ciphertext is the header, and the header is GCM's associated
 *   data (as canonical JSON rebuilt from the parsed values): changing the KDF parameters, the
 *   salt, the version or anything else fails authentication, just like a changed ciphertext byte.
 * - A wrong passphrase and an altered file are indistinguishable by design (both fail the tag),
 *   and both are reported as one clear error before anything is written.
 * - Readers check the header strictly and bound the KDF cost (128 MiB, the default's work), so a
 *   hostile file cannot make an import allocate more or run for more than about a second before
 *   failing; such a header is refused before any passphrase is asked for.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";

export const BUNDLE_FORMAT = "provenance-bundle";
export const BUNDLE_VERSION = 1;
export const BUNDLE_CIPHER = "aes-256-gcm";

/** What `export` uses: scrypt N=2^17, r=8, p=1 (128 MiB of memory per derivation). */
export const DEFAULT_KDF_COST = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
export type KdfCost = { N: number; r: number; p: number };

/**
 * Bounds a reader accepts. The lower ones keep bundles strong; the upper ones keep what a header
 * alone can cost (before any passphrase is checked) at what `export` itself spends: scrypt needs
 * about 128 * N * r bytes and time proportional to N * r * p, so both are capped at the default
 * cost's (128 MiB, and well under a second on a server core). A header asking for more is refused
 * before any prompt.
 */
const MIN_N = 2 ** 14;
const MAX_N = 2 ** 17;
const MAX_R = 32;
const MAX_P = 16;
const MAX_KDF_MEMORY_BYTES = 128 * 1024 * 1024; // 128 * N * r
const MAX_KDF_WORK = 2 ** 20; // N * r * p: the default cost's
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export const MIN_PASSPHRASE_LENGTH = 12;
const MAX_PASSPHRASE_LENGTH = 1024;

export type BundleFailure =
  /** Not JSON, not a provenance bundle, or a header member outside what this version accepts. */
  | "malformed"
  /** A later format version than this Provenance understands. */
  | "unsupported_version"
  /** The passphrase is wrong, or the file was altered (GCM cannot tell which). */
  | "authentication_failed"
  /** Decrypted, but the contents are not a valid payload. */
  | "invalid_payload"
  /** The passphrase itself is unusable (too short). */
  | "weak_passphrase";

/** A problem with a bundle or its passphrase. Messages never contain a passphrase or a value. */
export class BundleError extends AppError {
  readonly reason: BundleFailure;

  constructor(reason: BundleFailure, message: string, extra: Record<string, unknown> = {}) {
    super("validation_error", message, { reason, ...extra });
    this.name = "BundleError";
    this.reason = reason;
  }
}

const base64url = (bytes: number | { min: number; max: number }) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "must be base64url")
    .refine((text) => Buffer.from(text, "base64url").toString("base64url") === text, "must be canonical base64url")
    .refine((text) => {
      const length = Buffer.from(text, "base64url").length;
      return typeof bytes === "number" ? length === bytes : length >= bytes.min && length <= bytes.max;
    }, "has the wrong length");

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;

const kdfShape = z
  .object({
    name: z.literal("scrypt"),
    N: z.number().int().min(MIN_N).max(MAX_N).refine(isPowerOfTwo, "N must be a power of two"),
    r: z.number().int().min(8).max(MAX_R),
    p: z.number().int().min(1).max(MAX_P),
    salt: base64url({ min: SALT_BYTES, max: 64 }),
  })
  .strict()
  .refine((kdf) => 128 * kdf.N * kdf.r <= MAX_KDF_MEMORY_BYTES, "scrypt parameters would need more than 128 MiB of memory")
  .refine(
    (kdf) => kdf.N * kdf.r * kdf.p <= MAX_KDF_WORK,
    "scrypt parameters would cost more work than an export ever uses (N * r * p at most 2^20)",
  );

const headerShape = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    kdf: kdfShape,
    cipher: z.literal(BUNDLE_CIPHER),
    nonce: base64url(NONCE_BYTES),
    ciphertext: base64url({ min: TAG_BYTES, max: Number.MAX_SAFE_INTEGER }),
  })
  .strict();

export type BundleHeader = Omit<z.infer<typeof headerShape>, "ciphertext">;
export type BundleFile = z.infer<typeof headerShape>;

/**
 * The associated data: the header as canonical JSON, members in a fixed order, rebuilt from the
 * parsed values (so whitespace or member order in the file do not matter, but every value does).
 */
function associatedData(header: BundleHeader): Buffer {
  const { format, version, kdf, cipher, nonce } = header;
  return Buffer.from(
    JSON.stringify({ format, version, kdf: { name: kdf.name, N: kdf.N, r: kdf.r, p: kdf.p, salt: kdf.salt }, cipher, nonce }),
    "utf8",
  );
}

/**
 * The passphrase as the KDF sees it: NFC-normalised, so the same words typed on two systems that
 * compose accented letters differently give the same key. Refused when shorter than 12 characters.
 */
export function normalizePassphrase(passphrase: string): Buffer {
  if (typeof passphrase !== "string" || !passphrase.isWellFormed()) {
    throw new BundleError("weak_passphrase", "The passphrase must be text.");
  }
  const normalized = passphrase.normalize("NFC");
  const length = [...normalized].length;
  if (length < MIN_PASSPHRASE_LENGTH) {
    throw new BundleError(
      "weak_passphrase",
      `The passphrase is too short (${length} characters; at least ${MIN_PASSPHRASE_LENGTH} are required). ` +
        "Use a long random phrase, e.g. from `openssl rand -base64 24`, and keep it apart from the bundle.",
    );
  }
  if (length > MAX_PASSPHRASE_LENGTH) {
    throw new BundleError("weak_passphrase", `The passphrase is too long (at most ${MAX_PASSPHRASE_LENGTH} characters).`);
  }
  return Buffer.from(normalized, "utf8");
}

function deriveKey(passphrase: Buffer, salt: Buffer, cost: KdfCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 2 * 128 * cost.N * cost.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Encrypts `plaintext` (the payload's JSON) under `passphrase` and returns the bundle file's text.
 * `cost` is for tests that need many cheap bundles; exports always use DEFAULT_KDF_COST.
 */
export async function sealBundle(plaintext: string, passphrase: string, cost: KdfCost = DEFAULT_KDF_COST): Promise<string> {
  const secret = normalizePassphrase(passphrase);
  const header: BundleHeader = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    kdf: { name: "scrypt", N: cost.N, r: cost.r, p: cost.p, salt: randomBytes(SALT_BYTES).toString("base64url") },
    cipher: BUNDLE_CIPHER,
    nonce: randomBytes(NONCE_BYTES).toString("base64url"),
  };
  // What we write must be what we would accept.
  const checked = headerShape.safeParse({ ...header, ciphertext: "A".repeat(24) });
  if (!checked.success) throw new TypeError(`sealBundle: unacceptable KDF cost ${JSON.stringify(cost)}`);

  const key = await deriveKey(secret, Buffer.from(header.kdf.salt, "base64url"), cost);
  try {
    const cipher = createCipheriv(BUNDLE_CIPHER, key, Buffer.from(header.nonce, "base64url"), { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(header));
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    const file: BundleFile = { ...header, ciphertext: sealed.toString("base64url") };
    return `${JSON.stringify(file, null, 2)}\n`;
  } finally {
    key.fill(0);
  }
}

/**
 * Reads and checks a bundle file's header without the passphrase (so a command can refuse a
 * file that is not a bundle before asking for one).
 */
export function parseBundleFile(text: string): BundleFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BundleError("malformed", "This file is not a Provenance bundle (it is not JSON).");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || (parsed as { format?: unknown }).format !== BUNDLE_FORMAT) {
    throw new BundleError("malformed", 'This file is not a Provenance bundle (no "format": "provenance-bundle").');
  }
  const version = (parsed as { version?: unknown }).version;
  if (typeof version === "number" && version > BUNDLE_VERSION) {
    throw new BundleError(
      "unsupported_version",
      `This bundle has format version ${version}; this Provenance reads version ${BUNDLE_VERSION}. Upgrade Provenance to import it.`,
    );
  }
  const result = headerShape.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? issue.path.join(".") : "header";
    const what = issue.code === "unrecognized_keys" ? `unknown member ${issue.keys.join(", ")}` : issue.message;
    throw new BundleError("malformed", `The bundle's header is damaged or not supported (${where}: ${what}).`);
  }
  return result.data;
}

/**
 * Decrypts a bundle file's text with `passphrase` and returns the payload's JSON text. A wrong
 * passphrase and an altered file both throw BundleError("authentication_failed").
 */
export async function openBundle(text: string, passphrase: string): Promise<string> {
  const file = parseBundleFile(text);
  const secret = normalizePassphrase(passphrase);
  const { ciphertext, ...header } = file;
  const key = await deriveKey(secret, Buffer.from(header.kdf.salt, "base64url"), header.kdf);
  const sealed = Buffer.from(ciphertext, "base64url");
  try {
    const decipher = createDecipheriv(BUNDLE_CIPHER, key, Buffer.from(header.nonce, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(header));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const data = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    return data.toString("utf8");
  } catch {
    throw new BundleError(
      "authentication_failed",
      "Cannot open the bundle: the passphrase is wrong, or the file was altered or damaged. Nothing was imported.",
    );
  } finally {
    key.fill(0);
  }
}
