import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { consume, type CountedHit, type LimitDecision, type LimitRule } from "@/lib/rate-limit/sliding-window";
import type { KnownDevice } from "./sign-in-device";
import { typedAccountDigest } from "./sign-in-keys";

/**
 * Limits on password guessing, counted per attempt before the password is checked (so a burst of
 * parallel guesses cannot all slip through) and refunded when the attempt succeeds, so only
 * failures add up. Three rules:
 *
 * - per account and source address: the everyday lock, for someone guessing one account;
 * - per source address: one address guessing many accounts;
 * - per account from every address: a spread-out attack on one account.
 *
 * The last two are locks a stranger can fill on purpose: made-up accounts from a shared address
 * (an office, a reverse proxy), or guesses at the admin from many addresses. So neither applies
 * to an account at an address it has signed in from successfully before: the real owner keeps
 * signing in from their usual place while the stranger stays locked out. A browser with a device
 * cookie for the account (lib/auth/sign-in-device.ts) is not held by any of the three: its
 * failures count on a counter of the cookie's own, as strict as the per-account-and-address one.
 * Every lock ends on its own once the failures age out of the window.
 */
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;
/** How far back a successful sign-in makes an address "known" to the account. */
const KNOWN_ADDRESS_DAYS = 90;

function rules() {
  const settings = env();
  return {
    perAccountAndAddress: {
      name: "signin.account+address",
      limit: settings.PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
      windowMs: FIFTEEN_MINUTES,
    },
    perAddress: { name: "signin.address", limit: settings.PROVENANCE_SIGNIN_FAILURES_PER_ADDRESS, windowMs: FIFTEEN_MINUTES },
    perAccount: { name: "signin.account", limit: settings.PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT, windowMs: ONE_HOUR },
    perDevice: { name: "signin.device", limit: settings.PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS, windowMs: FIFTEEN_MINUTES },
  } satisfies Record<string, LimitRule>;
}

export type SignInAttempt =
  | { allowed: true; /** Takes the attempt back off every counter: call it when the sign-in succeeded. */ forgive(): Promise<void> }
  | { allowed: false; retryAfterSeconds: number };

/** The form of an email address that sign-in, limits and the users table all agree on. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase().slice(0, 254);
}

/**
 * Counts a sign-in attempt for `email` from `sourceIp` (with the browser's device cookie, if it
 * brought one), or says how long until one is allowed.
 */
export async function reserveSignInAttempt(
  email: string,
  sourceIp: string | null,
  device: KnownDevice | null = null,
): Promise<SignInAttempt> {
  const account = normalizeEmail(email);
  const address = sourceIp ?? "unknown";
  const user = account ? await db().user.findUnique({ where: { email: account }, select: { id: true } }) : null;
  // Counters are keyed by what was typed; when that matches no account it may be anything (a
  // password in the wrong box), so even its unkeyed digest is not stored.
  const accountKey = user ? account : typedAccountDigest(account);
  const { perAccountAndAddress, perAddress, perAccount, perDevice } = rules();
  const counted: CountedHit[] = [];
  const refundAll = () => Promise.all(counted.map((hit) => hit.refund())).then(() => undefined);
  const refuse = async (decision: LimitDecision & { allowed: false }) => {
    await refundAll();
    return decision;
  };

  if (user && device?.userId === user.id) {
    const decision = await consume(perDevice, device.id);
    if (!decision.allowed) return decision;
    return { allowed: true, forgive: () => decision.hit?.refund() ?? Promise.resolve() };
  }

  const pair = await consume(perAccountAndAddress, `${accountKey}|${address}`);
  if (!pair.allowed) return pair;
  if (pair.hit) counted.push(pair.hit);

  // A stranger's failures fill these two; the account's own address is not held by them.
  let known: boolean | undefined;
  const knownAddress = async () => (known ??= user !== null && (await signedInBefore(account, address)));
  for (const [rule, subject] of [
    [perAddress, address],
    [perAccount, accountKey],
  ] as const) {
    const decision = await consume(rule, subject);
    if (decision.allowed) {
      if (decision.hit) counted.push(decision.hit);
    } else if (!(await knownAddress())) {
      return refuse(decision);
    }
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
