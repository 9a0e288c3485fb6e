import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { SystemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createUser, type UserView } from "@/lib/users/manage-users";

/**
 * First-run set-up. While no user exists, the server prints a one-time code to its own log; only
 * someone who can read that log can create the first admin. The code is stored hashed, expires,
 * and dies after a few wrong tries, so a stranger on the network cannot guess their way in.
 */
const SETTING = "setup_code";
const LIFETIME_MS = 24 * 60 * 60 * 1000;
const MAX_ATTEMPTS = 10;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: the code is read off a screen

interface StoredCode {
  hash: string;
  expiresAt: number;
  attempts: number;
}

const SYSTEM: SystemActor = { kind: "system", label: "first-run setup" };

function hashCode(code: string): string {
  return createHash("sha256").update(code.toUpperCase().replace(/[^A-Z0-9]/g, "")).digest("hex");
}

/** Makes a new code (replacing any earlier one) and returns it for the server log. */
export async function issueSetupCode(): Promise<string> {
  const raw = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  const value = JSON.stringify({ hash: hashCode(code), expiresAt: Date.now() + LIFETIME_MS, attempts: 0 } satisfies StoredCode);
  await db().setting.upsert({ where: { key: SETTING }, create: { key: SETTING, value }, update: { value } });
  return code;
}

export async function setupPending(): Promise<boolean> {
  return (await db().user.count()) === 0;
}

/** Creates the first admin if the code is right and nobody has done so yet. */
export async function completeSetup(options: { code: string; email: string; password: string; sourceIp: string | null }): Promise<UserView> {
  if (!(await setupPending())) throw new AppError("conflict", "Provenance is already set up; sign in instead.");
  const row = await db().setting.findUnique({ where: { key: SETTING } });
  const stored = row ? (JSON.parse(row.value) as StoredCode) : null;
  if (!stored || stored.expiresAt < Date.now() || stored.attempts >= MAX_ATTEMPTS) {
    throw new AppError("forbidden", "The setup code has expired or was tried too often; restart the server for a new one.");
  }
  const given = Buffer.from(hashCode(options.code), "hex");
  if (!timingSafeEqual(given, Buffer.from(stored.hash, "hex"))) {
    await db().setting.update({ where: { key: SETTING }, data: { value: JSON.stringify({ ...stored, attempts: stored.attempts + 1 }) } });
    throw new AppError("validation_error", "That setup code is not right; copy it from the server log.", { fields: { code: "Wrong setup code" } });
  }
  const user = await createUser({ actor: SYSTEM, input: { email: options.email, password: options.password, role: "admin" } });
  await db().setting.delete({ where: { key: SETTING } });
  return user;
}
