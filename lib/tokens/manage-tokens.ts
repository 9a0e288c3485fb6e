import type { AuditActor } from "@/lib/auth/actor";
import { parseInput } from "@/lib/api/zod-errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { createTokenInput } from "./token-schemas";
import { displayPrefix, generateToken, hashToken } from "./token-secret";

/** What lists and responses show of a token: never the secret, never the hash. */
export interface TokenView {
  id: string;
  name: string;
  role: string;
  scope: string | null;
  tokenPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdBy: string | null;
}

const tokenSelect = {
  id: true,
  name: true,
  role: true,
  scope: true,
  tokenPrefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdBy: { select: { email: true } },
} as const;

type TokenRow = {
  id: string;
  name: string;
  role: string;
  scope: string | null;
  tokenPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdBy: { email: string } | null;
};

function toView(row: TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    scope: row.scope,
    tokenPrefix: row.tokenPrefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdBy: row.createdBy?.email ?? null,
  };
}

/** Creates a token and returns it once, in plain text, beside its stored view. */
export async function createToken(options: { actor: AuditActor; input: unknown }): Promise<{ token: string; view: TokenView }> {
  const input = parseInput(createTokenInput, options.input);
  const token = generateToken();
  const id = newId();
  const createdById = options.actor.kind === "system" ? null : options.actor.userId;
  const row = await db().$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        id,
        name: input.name,
        role: input.role,
        scope: input.scope,
        tokenHash: hashToken(token),
        tokenPrefix: displayPrefix(token),
        createdById,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
      select: tokenSelect,
    });
    await recordAudit(
      {
        actor: options.actor,
        action: "token.create",
        target: { type: "token", id, label: input.name },
        outcome: "success",
        details: { role: input.role, scope: input.scope },
      },
      tx,
    );
    return created;
  });
  return { token, view: toView(row) };
}

export async function listTokens(): Promise<TokenView[]> {
  const rows = await db().apiToken.findMany({ select: tokenSelect, orderBy: { createdAt: "desc" } });
  return rows.map(toView);
}

export async function revokeToken(options: { actor: AuditActor; id: string }): Promise<TokenView> {
  return db().$transaction(async (tx) => {
    const existing = await tx.apiToken.findUnique({ where: { id: options.id }, select: tokenSelect });
    if (!existing) throw notFound("Token");
    const row = existing.revokedAt
      ? existing
      : await tx.apiToken.update({ where: { id: options.id }, data: { revokedAt: new Date() }, select: tokenSelect });
    await recordAudit(
      { actor: options.actor, action: "token.revoke", target: { type: "token", id: row.id, label: row.name }, outcome: "success" },
      tx,
    );
    return toView(row);
  });
}
