import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { consume, type CountedHit, type LimitRule } from "@/lib/rate-limit/sliding-window";

/**
 * Limits on password guessing, counted per attempt before the password is checked (so a burst of
 * parallel guesses cannot all slip through) and refunded when the attempt succeeds, so only
 * failures add up. Three rules:
 *
 * - per account and source address: the everyday lock, for someone guessing one account;
 * - per source address: one address guessing many accounts;
 * - per account from every address: a spread-out attack on one account. This is the lock a
 *   stranger could aim at the admin, so it never applies to an address the account has signed in
 *   from successfully before; the real admin keeps signing in from their usual place while the
 *   attacker stays locked out. Every lock ends on its own once the failures age out of the window.
 */
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;
/** How far back a successful sign-in makes an address "known" to the account. */
const KNOWN_ADDRESS_DAYS = 90;

function rules() {
  const settings = env();
  return {
    perAccountAndAddress: { name: "signin.account+address", limit: settings.PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS, windowMs: FIFTEEN_MINUTES },
    perAddress: { name: "signin.address", limit: settings.PROVENANCE_SIGNIN_FAILURES_PER_ADDRESS, windowMs: FIFTEEN_MINUTES },
    perAccount: { name: "signin.account", limit: settings.PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT, windowMs: ONE_HOUR },
  } satisfies Record<string, LimitRule>;
}

export type SignInAttempt =
  | { allowed: true; /** Takes the attempt back off every counter: call it when the sign-in succeeded. */ forgive(): Promise<void> }
  | { allowed: false; retryAfterSeconds: number };

/** The form of an email address that sign-in, limits and the users table all agree on. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase().slice(0, 254);
}

/** Counts a sign-in attempt for `email` from `sourceIp`, or says how long until one is allowed. */
export async function reserveSignInAttempt(email: string, sourceIp: string | null): Promise<SignInAttempt> {
  const account = normalizeEmail(email);
  const address = sourceIp ?? "unknown";
  const { perAccountAndAddress, perAddress, perAccount } = rules();
  const counted: CountedHit[] = [];
  const refundAll = () => Promise.all(counted.map((hit) => hit.refund())).then(() => undefined);

  for (const [rule, subject] of [
    [perAccountAndAddress, `${account}|${address}`],
    [perAddress, address],
  ] as const) {
    const decision = await consume(rule, subject);
    if (!decision.allowed) {
      await refundAll();
      return decision;
    }
    if (decision.hit) counted.push(decision.hit);
  }

  const accountWide = await consume(perAccount, account);
  if (accountWide.allowed) {
    if (accountWide.hit) counted.push(accountWide.hit);
  } else if (!(await signedInBefore(account, address))) {
    await refundAll();
    return accountWide;
  }
  return { allowed: true, forgive: refundAll };
}

/** Whether the account has signed in successfully from this address recently (from the audit log). */
async function signedInBefore(email: string, sourceIp: string): Promise<boolean> {
  const since = new Date(Date.now() - KNOWN_ADDRESS_DAYS * 24 * ONE_HOUR);
  const event = await db().auditEvent.findFirst({
    where: { action: "auth.sign_in", outcome: "success", targetLabel: email, sourceIp, at: { gte: since } },
    select: { id: true },
  });
  return event !== null;
}
