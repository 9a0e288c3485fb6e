import type { Actor } from "@/lib/auth/actor";
import { parseInput } from "@/lib/validation/zod-errors";
import { sanitizeText } from "@/lib/validation/text";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyChange } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { displayPrefix, generateToken, hashToken } from "@/lib/tokens/token-secret";
import { claimsMatch } from "./claim-pattern";
import { reserveExchangeAttempt } from "./exchange-limit";
import { audiencesOf, checkTokenTimes, CLOCK_SKEW_SECONDS, stringClaim } from "./id-token-claims";
import { IdTokenRefusal } from "./id-token-error";
import { issuerKeys } from "./issuer-keys";
import { decodeJws, isAcceptedAlgorithm, keyFitsAlgorithm, signatureVerifies, type DecodedJws } from "./jws";
import { tokenExchangeInput } from "./trust-policy-schemas";
import type { ExchangeResult } from "./trust-policy-view";

/**
 * POST /api/auth/token-exchange: a program trades an OIDC ID token (GitHub Actions, GitLab CI,
 * Kubernetes…) for a short-lived API token, without any stored secret. The token is checked in
 * this order, and the first failure is the answer (401 with its reason):
 *
 * 1. a compact JWS with an accepted asymmetric algorithm and iss/exp claims;
 * 2. some trust policy names its issuer (only then are the issuer's keys fetched: no policy, no
 *    outbound request);
 * 3. its signature verifies with a key from the issuer's JWKS;
 * 4. not expired, not before nbf/iat (60 s of clock skew either way), and it carries a jti;
 * 5. its aud contains the audience of a policy for that issuer;
 * 6. its claims match such a policy, tried by name (first match wins);
 * 7. its jti was not exchanged before (kept per issuer until the ID token expires, in the database).
 *
 * The ID token itself is never stored, logged, audited or repeated in an answer.
 */
export type { ExchangeResult };

/** What is known about a refused token, for the audit row: only facts checked so far. */
interface RefusalContext {
  issuer?: string;
  subject?: string;
}

export async function exchangeIdToken(options: { input: unknown; sourceIp: string | null; now?: number }): Promise<ExchangeResult> {
  const attempt = await reserveExchangeAttempt(options.sourceIp);
  const context: RefusalContext = {};
  try {
    const { token } = parseInput(tokenExchangeInput, options.input);
    const result = await exchange(token, options.sourceIp, options.now ?? Date.now(), context);
    await attempt.forgive();
    return result;
  } catch (error) {
    if (!(error instanceof IdTokenRefusal)) throw error;
    await recordAudit({
      actor: null,
      action: "token.exchange",
      outcome: "denied",
      sourceIp: options.sourceIp,
      details: { reason: error.reason, issuer: context.issuer ?? null, subject: context.subject ?? null },
    });
    throw new AppError("unauthorized", error.message, { reason: error.reason });
  }
}

async function exchange(idToken: string, sourceIp: string | null, now: number, context: RefusalContext): Promise<ExchangeResult> {
  const jws = decodeJws(idToken);
  const issuer = stringClaim(jws.payload, "iss");
  if (!issuer) throw new IdTokenRefusal("malformed");
  if (!isAcceptedAlgorithm(jws.header.alg)) throw new IdTokenRefusal("unsupported_algorithm");

  const candidates = await db().trustPolicy.findMany({ where: { issuer }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  if (candidates.length === 0) throw new IdTokenRefusal("unknown_issuer");
  context.issuer = issuer;

  await verifySignature(jws, issuer);
  const { expiresAt: idTokenExpiresAt } = checkTokenTimes(jws.payload, now);
  const subject = stringClaim(jws.payload, "sub") ?? "";
  context.subject = sanitizeText(subject, 200);
  const jti = stringClaim(jws.payload, "jti", 200);
  if (!jti) throw new IdTokenRefusal("missing_jti");

  const audiences = audiencesOf(jws.payload);
  const forAudience = candidates.filter((policy) => audiences.includes(policy.audience));
  if (forAudience.length === 0) throw new IdTokenRefusal("wrong_audience");
  const policy = forAudience.find((candidate) => claimsMatch(JSON.parse(candidate.claims) as Record<string, string>, jws.payload));
  if (!policy) throw new IdTokenRefusal("no_matching_policy");

  // The claims the policy checked, as the token had them: what the audit says was trusted.
  const matched = Object.keys(JSON.parse(policy.claims) as Record<string, string>).map((name) =>
    sanitizeText(`${name}=${String(jws.payload[name])}`, 300),
  );
  return issueToken({ policy, issuer, jti, subject, matched, idTokenExpiresAt, sourceIp, now });
}

/** Some key the issuer publishes (with the header's kid, if any) must fit the algorithm and verify. */
async function verifySignature(jws: DecodedJws, issuer: string): Promise<void> {
  const keys = (await issuerKeys(issuer, jws.header.kid)).filter((key) => keyFitsAlgorithm(key, jws.header.alg));
  if (keys.length === 0) throw new IdTokenRefusal("unknown_key");
  // Without a kid every fitting key is tried; a handful at most in practice.
  if (!keys.slice(0, 10).some((key) => signatureVerifies(jws, key))) throw new IdTokenRefusal("bad_signature");
}

interface Issue {
  policy: { id: string; name: string; role: string; scope: string; ttlSeconds: number };
  issuer: string;
  jti: string;
  subject: string;
  /** "claim=value" for each claim the policy checked. */
  matched: string[];
  idTokenExpiresAt: Date;
  sourceIp: string | null;
  now: number;
}

/** Records the jti (a second use fails on its primary key) and makes the token, in one transaction. */
async function issueToken(issue: Issue): Promise<ExchangeResult> {
  const { policy } = issue;
  const token = generateToken();
  const id = newId();
  const name = sanitizeText(`oidc:${policy.name}:${issue.subject}`, 200);
  const expiresAt = new Date(issue.now + policy.ttlSeconds * 1000);
  try {
    await db().$transaction(async (tx) => {
      // Kept as long as the ID token could still be accepted (its exp plus the clock skew).
      await tx.usedIdToken.create({
        data: { issuer: issue.issuer, jti: issue.jti, expiresAt: new Date(issue.idTokenExpiresAt.getTime() + CLOCK_SKEW_SECONDS * 1000) },
      });
      await tx.apiToken.create({
        data: {
          id,
          name,
          role: policy.role,
          scope: policy.scope,
          tokenHash: hashToken(token),
          tokenPrefix: displayPrefix(token),
          createdById: null,
          issuedByUser: false,
          expiresAt,
          trustPolicyId: policy.id,
        },
      });
      const actor: Actor = {
        kind: "token",
        id,
        label: name,
        role: policy.role as Actor["role"],
        scope: policy.scope,
        userId: null,
        sourceIp: issue.sourceIp,
      };
      await recordAudit(
        {
          actor,
          action: "token.exchange",
          target: { type: "token", id, label: name },
          outcome: "success",
          details: {
            policy: policy.name,
            policyId: policy.id,
            issuer: issue.issuer,
            subject: sanitizeText(issue.subject, 200),
            claims: issue.matched,
            role: policy.role,
            scope: policy.scope,
            expiresAt: expiresAt.toISOString(),
          },
        },
        tx,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new IdTokenRefusal("replayed");
    throw error;
  }
  notifyChange({ kind: "token", id });
  void sweepUsedIdTokens(issue.now);
  // A stored policy only holds a role its schema accepted.
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    role: policy.role as ExchangeResult["role"],
    scope: policy.scope,
    policy: { id: policy.id, name: policy.name },
  };
}

const SWEEP_EVERY_MS = 5 * 60 * 1000;
let lastSweep = 0;

/** Exchanged tokens stay listed this long after they expire (every CI job makes one), then go. */
const EXCHANGED_TOKEN_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Drops used jtis whose ID tokens have expired, and exchanged API tokens a week past their expiry
 * (the audit log keeps their story); best effort, off the request's path.
 */
async function sweepUsedIdTokens(now: number): Promise<void> {
  if (now - lastSweep < SWEEP_EVERY_MS) return;
  lastSweep = now;
  await db()
    .usedIdToken.deleteMany({ where: { expiresAt: { lt: new Date(now) } } })
    .catch(() => undefined);
  await db()
    .apiToken.deleteMany({ where: { trustPolicyId: { not: null }, expiresAt: { lt: new Date(now - EXCHANGED_TOKEN_KEEP_MS) } } })
    .catch(() => undefined);
}
