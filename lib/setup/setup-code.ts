import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { SystemActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/zod-errors";
import { createUser, type UserView } from "@/lib/users/manage-users";
import { createUserInput } from "@/lib/users/user-schemas";

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
  return createHash("sha256")
    .update(code.toUpperCase().replace(/[^A-Z0-9]/g, ""))
    .digest("hex");
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

/**
 * Creates the first admin if the code is right and nobody has done so yet. Every try first takes
 * one of the code's attempts (reserveAttempt), so parallel guesses cannot all slip in while the
 * counter still reads low; the right code is then claimed by deleting it, so two people racing with
 * the right code cannot both create an admin.
 */
export async function completeSetup(options: {
  code: string;
  email: string;
  password: string;
  sourceIp: string | null;
}): Promise<UserView> {
  if (!(await setupPending())) throw new AppError("conflict", "Provenance is already set up; sign in instead.");
  // The form's own mistakes are answered before an attempt is spent on them.
  const input = parseInput(createUserInput, { email: options.email, password: options.password, role: "admin" });
  let reserved: { stored: StoredCode; value: string };
  try {
    reserved = await reserveAttempt();
  } catch (error) {
    await auditRefusal(options.sourceIp, { reason: "setup_code_expired" });
    throw error;
  }
  const given = Buffer.from(hashCode(options.code), "hex");
  if (!timingSafeEqual(given, Buffer.from(reserved.stored.hash, "hex"))) {
    await auditRefusal(options.sourceIp, { reason: "wrong_setup_code", attemptsLeft: MAX_ATTEMPTS - reserved.stored.attempts });
    throw new AppError("validation_error", "That setup code is not right; copy it from the server log.", {
      fields: { code: "Wrong setup code" },
    });
  }
  const claimed = await db().setting.deleteMany({ where: { key: SETTING, value: reserved.value } });
  if (claimed.count !== 1) throw new AppError("conflict", "Someone else is completing the set-up with this code; sign in instead.");
  try {
    return await createUser({ actor: SYSTEM, input });
  } catch (error) {
    // Nothing was set up: put the code back (with the attempt it used) so the form can be sent again.
    await db()
      .setting.create({ data: { key: SETTING, value: reserved.value } })
      .catch(() => undefined);
    throw error;
  }
}

/**
 * A refused try, for the admin to see later: someone who cannot read the server log is guessing.
 * Anonymous (nobody is signed in) and without the code that was typed, right or wrong.
 */
async function auditRefusal(sourceIp: string | null, details: { reason: string; attemptsLeft?: number }): Promise<void> {
  await recordAudit({
    actor: null,
    action: "auth.setup",
    target: { type: "setup", label: "first admin" },
    outcome: "denied",
    sourceIp,
    details,
  });
}

/**
 * Counts one attempt against the stored code with a compare-and-swap on the stored text: the
 * UPDATE only applies while the row still holds what was read, so of several concurrent tries
 * exactly one wins each count and the others read again. The loop ends: every lost race means
 * another try took an attempt, and there are at most MAX_ATTEMPTS of those.
 */
async function reserveAttempt(): Promise<{ stored: StoredCode; value: string }> {
  for (;;) {
    const row = await db().setting.findUnique({ where: { key: SETTING } });
    const stored = row ? (JSON.parse(row.value) as StoredCode) : null;
    if (!row || !stored || stored.expiresAt < Date.now() || stored.attempts >= MAX_ATTEMPTS) {
      throw new AppError("forbidden", "The setup code has expired or was tried too often; restart the server for a new one.");
    }
    const next: StoredCode = { ...stored, attempts: stored.attempts + 1 };
    const value = JSON.stringify(next);
    const { count } = await db().setting.updateMany({ where: { key: SETTING, value: row.value }, data: { value } });
    if (count === 1) return { stored: next, value };
  }
}
