import type { z } from "zod";
import type { AuditActor } from "@/lib/auth/actor";
import { parseInput } from "@/lib/validation/zod-errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyChange } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { fieldMap } from "@/lib/validation/zod-errors";
import { roleAtLeast, type Role } from "@/lib/auth/roles";
import { scopeWithin } from "@/lib/auth/scope";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { createTokenInput } from "./token-schemas";
import { displayPrefix, generateToken, hashToken } from "./token-secret";
import type { tokenViewSchema } from "./token-view";

/** What lists and responses show of a token: never the secret, never the hash. */
export type TokenView = z.infer<typeof tokenViewSchema>;

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
    // Only roles the write schema accepted are ever stored.
    role: row.role as TokenView["role"],
    scope: row.scope,
    tokenPrefix: row.tokenPrefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdBy: row.createdBy?.email ?? null,
  };
}

/**
 * Creates a token and returns it once, in plain text, beside its stored view. A token made by a
 * token never outgrows its maker (see checkWithinMaker); its creating user is the maker's user, so a
 * later demotion or removal of that user reaches every token down the chain.
 */
export async function createToken(options: { actor: AuditActor; input: unknown }): Promise<{ token: string; view: TokenView }> {
  const input = parseInput(createTokenInput, options.input);
  const token = generateToken();
  const id = newId();
  const createdById = options.actor.kind === "system" ? null : options.actor.userId;
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const row = await db().$transaction(async (tx) => {
    if (options.actor.kind === "token") {
      const maker = await tx.apiToken.findUnique({ where: { id: options.actor.id }, select: { expiresAt: true } });
      if (!maker) throw new AppError("unauthorized", "The token making this request no longer exists.");
      checkWithinMaker(
        { role: input.role, scope: input.scope, expiresAt },
        { role: options.actor.role, scope: options.actor.scope, expiresAt: maker.expiresAt },
      );
    }
    const created = await tx.apiToken.create({
      data: {
        id,
        name: input.name,
        role: input.role,
        scope: input.scope,
        tokenHash: hashToken(token),
        tokenPrefix: displayPrefix(token),
        createdById,
        issuedByUser: createdById !== null,
        expiresAt,
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
  notifyChange({ kind: "token", id });
  return { token, view: toView(row) };
}

interface TokenLimits {
  role: Role;
  scope: string | null;
  expiresAt: Date | null;
}

/**
 * A token may only make tokens that reach no further than itself: a role at most its own (already
 * lowered to its user's current role), a scope inside its own, an expiry no later than its own.
 * Refused with 403 rather than 400: the same request is fine from a more powerful caller, so it is
 * the caller's authority that falls short, not the input. `fields` names what to change.
 */
export function checkWithinMaker(wanted: TokenLimits, maker: TokenLimits): void {
  const fields = fieldMap();
  if (!roleAtLeast(maker.role, wanted.role)) fields.role = `At most ${maker.role}: the role of the token making this one`;
  if (!scopeWithin(wanted.scope, maker.scope)) {
    fields.scope = `Must lie inside ${maker.scope ?? "every path"}, the scope of the token making this one`;
  }
  if (maker.expiresAt && (!wanted.expiresAt || wanted.expiresAt.getTime() > maker.expiresAt.getTime())) {
    fields.expiresInDays = `Must expire by ${maker.expiresAt.toISOString()}, when the token making this one expires`;
  }
  const problems = Object.keys(fields);
  if (problems.length > 0) {
    throw new AppError("forbidden", `A token cannot make a token that reaches further than itself (${problems.join(", ")}).`, { fields });
  }
}

export async function listTokens(): Promise<TokenView[]> {
  const rows = await db().apiToken.findMany({ select: tokenSelect, orderBy: { createdAt: "desc" } });
  return rows.map(toView);
}

export async function revokeToken(options: { actor: AuditActor; id: string }): Promise<TokenView> {
  const view = await db().$transaction(async (tx) => {
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
  // After the commit: the token stops working at its next request, on every instance.
  notifyChange({ kind: "token", id: view.id });
  return view;
}
