import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { ProvenanceError } from "../errors.js";

/**
 * `provenance run --fallback-file F`: the last values that resolved, kept encrypted so that a
 * restart while the server is unreachable still starts the program (with a notice on stderr).
 *
 * The key is derived from the token (HKDF-SHA256, a fresh salt per write): only a holder of the
 * same token can read the file, and the file on its own is no more than ciphertext. The server's
 * origin and what was asked for are bound in as associated data, so a copy made for another
 * server or other paths is never used in their place. Written with mode 0600, atomically.
 */
export type Planned = Record<string, { path: string; value: string }>;

interface FileFormat {
  format: "provenance-fallback-1";
  savedAt: string;
  salt: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

const FORMAT = "provenance-fallback-1";

function key(token: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", token, salt, "provenance run --fallback-file", 32));
}

/** What the copy is for: the server and the request, never the token. */
export function fallbackContext(origin: string, request: unknown): Buffer {
  return Buffer.from(JSON.stringify({ origin, request }));
}

export async function saveFallback(file: string, token: string, context: Buffer, planned: Planned, now = new Date()): Promise<void> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(token, salt), iv);
  cipher.setAAD(context);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(planned), "utf8"), cipher.final()]);
  const content: FileFormat = {
    format: FORMAT,
    savedAt: now.toISOString(),
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ciphertext.toString("base64"),
  };
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(content), { mode: 0o600 });
  await rename(temporary, file);
}

/** The saved values, or a ProvenanceError saying why they cannot be used (missing, too old, made for something else). */
export async function loadFallback(
  file: string,
  token: string,
  context: Buffer,
  maxAgeMs: number,
  now = Date.now(),
): Promise<{ planned: Planned; savedAt: Date }> {
  let content: FileFormat;
  try {
    content = JSON.parse(await readFile(file, "utf8")) as FileFormat;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProvenanceError(
      "fallback_unavailable",
      code === "ENOENT" ? `no fallback copy at ${file} yet` : `the fallback copy at ${file} could not be read`,
    );
  }
  const savedAt = new Date(content.savedAt);
  if (content.format !== FORMAT || Number.isNaN(savedAt.getTime()))
    throw new ProvenanceError("fallback_unavailable", `${file} is not a fallback copy`);
  const age = now - savedAt.getTime();
  if (age > maxAgeMs) {
    throw new ProvenanceError(
      "fallback_unavailable",
      `the fallback copy is ${describeAge(age)} old, more than --fallback-max-age allows (${describeAge(maxAgeMs)})`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(token, Buffer.from(content.salt, "base64")), Buffer.from(content.iv, "base64"));
    decipher.setAAD(context);
    decipher.setAuthTag(Buffer.from(content.tag, "base64"));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(content.ciphertext, "base64")), decipher.final()]).toString("utf8");
    return { planned: JSON.parse(plaintext) as Planned, savedAt };
  } catch {
    throw new ProvenanceError(
      "fallback_unavailable",
      `the fallback copy at ${file} was made with another token, for another server or for other paths`,
    );
  }
}

/** "24h", "30m", "7d", "90s" or a number of seconds. */
export function parseMaxAge(text: string): number {
  const match = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!match)
    throw new ProvenanceError(
      "bad_usage",
      `--fallback-max-age takes a duration such as 24h, 30m, 7d or 3600 (seconds); got ${JSON.stringify(text)}.`,
    );
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? "s") as "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit * 1000;
}

export function describeAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = ms / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

/** Server trouble, not a refusal: a revoked token or a missing secret never falls back. */
export function serverUnreachable(error: unknown): boolean {
  return error instanceof ProvenanceError && (error.code === "unreachable" || (error.status !== null && error.status >= 500));
}
