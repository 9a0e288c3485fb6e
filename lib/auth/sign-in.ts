import { sourceIp } from "@/lib/api/source-ip";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { userActor } from "./user-actor";
import { decoyHash, verifyPassword } from "./password";
import { MAX_PASSWORD_LENGTH } from "./password-rules";
import { typedAccountDigest } from "./sign-in-keys";
import { normalizeEmail } from "./sign-in-limits";

/**
 * Checks an email and password. Unknown accounts cost the same time as wrong passwords, and every
 * attempt is audited (the password never is). For an unknown account the audit row keeps a keyed
 * digest of what was typed, never the text: people type passwords into the email box.
 */
export async function signInWithPassword(options: {
  email: string;
  password: string;
  headers: Headers;
}): Promise<{ id: string; email: string; name: string | null } | null> {
  const email = normalizeEmail(options.email);
  const ip = sourceIp(options.headers);
  const user = email ? await db().user.findUnique({ where: { email } }) : null;
  const password = options.password.slice(0, MAX_PASSWORD_LENGTH + 1);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));

  const actor = user && valid ? userActor(user, ip) : null;
  if (!user || !actor) {
    await recordAudit({
      actor: null,
      action: "auth.sign_in",
      target: { type: "user", id: user?.id ?? null, label: user ? user.email : email ? typedAccountDigest(email) : null },
      outcome: "denied",
      sourceIp: ip,
      details: { reason: !user ? "unknown_account" : !valid ? "wrong_password" : "account_disabled" },
    });
    return null;
  }
  await db().user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await recordAudit({
    actor,
    action: "auth.sign_in",
    target: { type: "user", id: user.id, label: user.email },
    outcome: "success",
    sourceIp: ip,
  });
  return { id: user.id, email: user.email, name: user.name };
}
