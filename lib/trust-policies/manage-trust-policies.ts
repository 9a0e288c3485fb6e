import type { AuditActor } from "@/lib/auth/actor";
import { parseInput } from "@/lib/validation/zod-errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyChange } from "@/lib/change-events";
import { db, type Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { createTrustPolicyInput, updateTrustPolicyInput, type TrustPolicyInput } from "./trust-policy-schemas";
import type { TrustPolicyView } from "./trust-policy-view";

export type { TrustPolicyView };

type PolicyRow = {
  id: string;
  name: string;
  issuer: string;
  audience: string;
  claims: string;
  role: string;
  scope: string;
  ttlSeconds: number;
  createdAt: Date;
  updatedAt: Date;
};

export function toPolicyView(row: PolicyRow): TrustPolicyView {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    audience: row.audience,
    claims: JSON.parse(row.claims) as Record<string, string>,
    role: row.role as TrustPolicyView["role"],
    scope: row.scope,
    ttlSeconds: row.ttlSeconds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Ordered by name: the order in which the exchange tries them (the first match wins). */
export async function listTrustPolicies(): Promise<TrustPolicyView[]> {
  const rows = await db().trustPolicy.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
  return rows.map(toPolicyView);
}

export async function getTrustPolicy(id: string): Promise<TrustPolicyView> {
  const row = await db().trustPolicy.findUnique({ where: { id } });
  if (!row) throw notFound("Trust policy");
  return toPolicyView(row);
}

export async function createTrustPolicy(options: { actor: AuditActor; input: unknown }): Promise<TrustPolicyView> {
  const input = parseInput(createTrustPolicyInput, options.input);
  const id = newId();
  const row = await withNameCheck(input.name, () =>
    db().$transaction(async (tx) => {
      const created = await tx.trustPolicy.create({ data: { id, ...input, claims: JSON.stringify(input.claims) } });
      await recordAudit(
        { actor: options.actor, action: "trust_policy.create", target: target(created), outcome: "success", details: auditDetails(input) },
        tx,
      );
      return created;
    }),
  );
  return toPolicyView(row);
}

/**
 * Changes the fields sent. A change to who may exchange (issuer, audience, claims) or to what the
 * tokens may do (role, scope) revokes the live tokens the policy issued under its old terms; a new
 * name or ttl leaves them alone.
 */
export async function updateTrustPolicy(options: { actor: AuditActor; id: string; input: unknown }): Promise<TrustPolicyView> {
  const changes = parseInput(updateTrustPolicyInput, options.input);
  const { row, revoked } = await withNameCheck(changes.name, () =>
    db().$transaction(async (tx) => {
      const existing = await tx.trustPolicy.findUnique({ where: { id: options.id } });
      if (!existing) throw notFound("Trust policy");
      const before = toPolicyView(existing);
      const after = { ...before, ...changes };
      const changed = (Object.keys(changes) as Array<keyof typeof changes>).filter(
        (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
      );
      const updated = await tx.trustPolicy.update({
        where: { id: options.id },
        data: { ...changes, ...(changes.claims ? { claims: JSON.stringify(changes.claims) } : {}) },
      });
      const narrows = changed.some((key) => ["issuer", "audience", "claims", "role", "scope"].includes(key));
      const revokedIds = narrows ? await revokeIssuedTokens(tx, options.id) : [];
      await recordAudit(
        {
          actor: options.actor,
          action: "trust_policy.update",
          target: target(updated),
          outcome: "success",
          details: { changed, ...auditDetails(after), revokedTokens: revokedIds.length },
        },
        tx,
      );
      return { row: updated, revoked: revokedIds };
    }),
  );
  for (const id of revoked) notifyChange({ kind: "token", id });
  return toPolicyView(row);
}

/** Deletes the policy and revokes the live tokens it issued: they stop working at once. */
export async function deleteTrustPolicy(options: { actor: AuditActor; id: string }): Promise<void> {
  const revoked = await db().$transaction(async (tx) => {
    const existing = await tx.trustPolicy.findUnique({ where: { id: options.id } });
    if (!existing) throw notFound("Trust policy");
    const revokedIds = await revokeIssuedTokens(tx, options.id);
    await tx.trustPolicy.delete({ where: { id: options.id } });
    await recordAudit(
      {
        actor: options.actor,
        action: "trust_policy.delete",
        target: target(existing),
        outcome: "success",
        details: { revokedTokens: revokedIds.length },
      },
      tx,
    );
    return revokedIds;
  });
  for (const id of revoked) notifyChange({ kind: "token", id });
}

type Tx = Pick<Db, "apiToken">;

async function revokeIssuedTokens(tx: Tx, policyId: string): Promise<string[]> {
  const live = await tx.apiToken.findMany({
    where: { trustPolicyId: policyId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  if (live.length === 0) return [];
  const ids = live.map((token) => token.id);
  await tx.apiToken.updateMany({ where: { id: { in: ids } }, data: { revokedAt: new Date() } });
  return ids;
}

async function withNameCheck<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (name !== undefined && isUniqueViolation(error)) {
      throw new AppError("name_taken", `A trust policy named "${name}" already exists.`, { fields: { name: "Already taken" } });
    }
    throw error;
  }
}

function target(row: { id: string; name: string }) {
  return { type: "trust_policy", id: row.id, label: row.name };
}

/** What a policy allows, for the audit trail: claim names (patterns are not secret, but long). */
function auditDetails(policy: Pick<TrustPolicyInput, "issuer" | "audience" | "role" | "scope" | "ttlSeconds" | "claims">) {
  return {
    issuer: policy.issuer,
    audience: policy.audience,
    role: policy.role,
    scope: policy.scope,
    ttlSeconds: policy.ttlSeconds,
    claims: Object.keys(policy.claims),
  };
}
