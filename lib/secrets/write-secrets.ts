import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { scopeAllows } from "@/lib/auth/scope";
import { parseInput } from "@/lib/validation/zod-errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyChange } from "@/lib/change-events";
import { decrypt, encrypt } from "@/lib/crypto";
import { db, type Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, notFound, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { secretValueAad } from "@/lib/keys/aad";
import { keyring } from "@/lib/keys/keyring";
import { isProviderType } from "@/lib/providers/registry";
import { requireInsideFence } from "@/lib/secret-providers/provider-path-fence";
import {
  compactProviderConfig,
  createSecretShape,
  PROVENANCE_PROVIDER,
  updateSecretShape,
  type SecretProviderConfig,
} from "./secret-schemas";
import { parseProviderConfig, secretViewSelect, toSecretView, type SecretView } from "./secret-view";
import { changesUpstream, refuseScopedUpstreamChoice } from "./upstream-choice";
import { refuseNonKvVaultMount } from "./vault-mount-check";
import { recordSecretChange } from "./watch/change-log";
import { secretFieldProblems } from "./secret-rules";

/** A secret as it will be stored, after defaults (create) or merging (update). */
export interface SecretTarget {
  secretPath: string;
  provider: string;
  /** New plaintext to store, or undefined to keep the stored one. */
  value: string | undefined;
  hasStoredValue: boolean;
  providerPath: string | null;
  secretProviderId: string | null;
  providerConfig: SecretProviderConfig;
  description: string;
}

type Tx = Pick<Db, "secretProvider">;

/**
 * Every rule a secret's stored form must meet, for every way in (API, dashboard, import): the
 * rules across fields and against the database (400 with `fields`), then the connection's
 * allowedProviderPaths fence (403, for every role).
 */
export async function checkSecretTarget(target: SecretTarget, tx: Tx): Promise<void> {
  const { fields, connection } = await checkTarget(target, tx);
  if (Object.keys(fields).length > 0) throw validationError(fields);
  if (connection && target.providerPath) requireInsideFence(connection, target.providerPath);
}

/** The connection columns the rules read: its type, and what its fence needs. */
const checkedConnection = { name: true, type: true, config: true, allowedProviderPaths: true } as const;

/**
 * The rules across fields and against the database: `fields` errors (empty when valid), and the
 * external secret's connection when it exists, for the fence.
 */
async function checkTarget(
  target: SecretTarget,
  tx: Tx,
): Promise<{
  fields: Record<string, string>;
  connection: { name: string; type: string; config: string; allowedProviderPaths: string | null } | null;
}> {
  const fields = secretFieldProblems(target);
  // Only a well-formed external secret names a connection worth looking up.
  if (target.provider === PROVENANCE_PROVIDER || !isProviderType(target.provider) || !target.secretProviderId)
    return { fields, connection: null };
  const connection = await tx.secretProvider.findUnique({ where: { id: target.secretProviderId }, select: checkedConnection });
  if (!connection) fields.secretProviderId = "No provider connection has this id";
  else if (connection.type !== target.provider) {
    fields.secretProviderId = `Connection "${connection.name}" is ${connection.type}, not ${target.provider}`;
  }
  return { fields, connection };
}

function requireScope(actor: Actor, secretPath: string): void {
  if (!scopeAllows(actor.scope, secretPath)) {
    throw new AppError("forbidden", `This token's scope (${actor.scope}) does not cover ${secretPath}.`);
  }
}

function pathTaken(secretPath: string): AppError {
  return new AppError("path_taken", `A secret at ${secretPath} already exists.`, { fields: { secretPath: "Already taken" } });
}

function sealedValue(id: string, value: string | undefined): { valueCiphertext?: string | null } {
  return value === undefined ? {} : { valueCiphertext: encrypt(keyring(), value, secretValueAad(id)) };
}

// POST /api/secrets — 201 + the secret (never its value)
export async function createSecret(options: { actor: Actor; input: unknown }): Promise<SecretView> {
  const input = parseInput(createSecretShape, options.input);
  requireScope(options.actor, input.secretPath);
  if (input.provider !== PROVENANCE_PROVIDER) refuseScopedUpstreamChoice(options.actor, "create an external secret");
  const target: SecretTarget = {
    secretPath: input.secretPath,
    provider: input.provider,
    value: input.value ?? undefined,
    hasStoredValue: false,
    providerPath: input.providerPath ?? null,
    secretProviderId: input.secretProviderId ?? null,
    providerConfig: compactProviderConfig(input.providerConfig),
    description: input.description ?? "",
  };
  await refuseNonKvVaultMount(target); // asks Vault, so before the transaction and its write lock
  const id = newId();
  try {
    const row = await db().$transaction(async (tx) => {
      await checkSecretTarget(target, tx);
      const created = await tx.secret.create({
        data: {
          id,
          secretPath: target.secretPath,
          provider: target.provider,
          providerPath: target.providerPath,
          secretProviderId: target.secretProviderId,
          providerConfig: JSON.stringify(target.providerConfig),
          description: target.description,
          createdById: options.actor.userId,
          updatedById: options.actor.userId,
          ...sealedValue(id, target.value),
        },
        select: secretViewSelect,
      });
      await recordAudit(
        {
          actor: options.actor,
          action: "secret.create",
          target: { type: "secret", id, label: target.secretPath },
          outcome: "success",
          details: { provider: target.provider, secretProviderId: target.secretProviderId },
        },
        tx,
      );
      await recordSecretChange(tx, {
        secretId: id,
        secretPath: target.secretPath,
        kind: "created",
        version: created.version,
        value: target.value ?? null,
      });
      return created;
    });
    notifyChange({ kind: "secret", id });
    return toSecretView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw pathTaken(target.secretPath);
    throw error;
  }
}

/**
 * PUT/PATCH /api/secrets/:id — members left out keep their stored value; providerConfig merges
 * key by key (null clears one). Changing provider or connection is allowed when the result is
 * valid as a whole, which is how secrets are reassigned before a connection is deleted.
 */
export async function updateSecret(options: { actor: Actor; id: string; input: unknown; expectedVersion?: number }): Promise<SecretView> {
  const input = parseInput(updateSecretShape, options.input);
  const existing = await db().secret.findUnique({ where: { id: options.id } });
  if (!existing || !scopeAllows(options.actor.scope, existing.secretPath)) throw notFound("Secret");
  if (options.expectedVersion !== undefined && options.expectedVersion !== existing.version) throw staleVersion();

  const provider = input.provider ?? existing.provider;
  const becomesExternal = provider !== PROVENANCE_PROVIDER;
  const storedConfig = parseProviderConfig(existing.providerConfig);
  const target: SecretTarget = {
    secretPath: input.secretPath ?? existing.secretPath,
    provider,
    value: input.value ?? undefined,
    hasStoredValue: existing.valueCiphertext !== null && !becomesExternal,
    providerPath: input.providerPath === undefined ? (becomesExternal ? existing.providerPath : null) : input.providerPath,
    secretProviderId: input.secretProviderId === undefined ? (becomesExternal ? existing.secretProviderId : null) : input.secretProviderId,
    providerConfig:
      input.providerConfig === undefined
        ? storedConfig
        : input.providerConfig === null
          ? {}
          : compactProviderConfig({ ...storedConfig, ...input.providerConfig }),
    description: input.description === undefined ? existing.description : (input.description ?? ""),
  };
  requireScope(options.actor, target.secretPath);
  const before = { ...existing, providerConfig: storedConfig };
  const upstreamChanges = changesUpstream(before, target);
  if (upstreamChanges) refuseScopedUpstreamChoice(options.actor, "change where an external secret reads from");
  // A write that changes nothing keeps version and ETag, so it cannot break another editor's If-Match.
  if (target.value === undefined && isUnchanged(before, target)) {
    return toSecretView(await db().secret.findUniqueOrThrow({ where: { id: existing.id }, select: secretViewSelect }));
  }
  if (upstreamChanges) await refuseNonKvVaultMount(target); // asks Vault, so before the transaction

  try {
    const row = await db().$transaction(async (tx) => {
      await checkSecretTarget(target, tx);
      // Conditional on the version read above, so two concurrent edits cannot silently overwrite.
      const { count } = await tx.secret.updateMany({
        where: { id: existing.id, version: existing.version },
        data: {
          secretPath: target.secretPath,
          provider: target.provider,
          providerPath: target.providerPath,
          secretProviderId: target.secretProviderId,
          providerConfig: JSON.stringify(target.providerConfig),
          description: target.description,
          updatedById: options.actor.userId,
          version: { increment: 1 },
          ...(becomesExternal ? { valueCiphertext: null } : sealedValue(existing.id, target.value)),
        },
      });
      if (count !== 1) throw staleVersion();
      const changed = Object.entries(input)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
      await recordAudit(
        {
          actor: options.actor,
          action: "secret.update",
          target: { type: "secret", id: existing.id, label: target.secretPath },
          outcome: "success",
          details: { changed },
        },
        tx,
      );
      const value = becomesExternal ? null : (target.value ?? storedValue(existing));
      const version = existing.version + 1;
      if (target.secretPath === existing.secretPath) {
        await recordSecretChange(tx, { secretId: existing.id, secretPath: target.secretPath, kind: "updated", version, value });
      } else {
        // Watchers of the old path see it go, watchers of the new one see it come.
        await recordSecretChange(tx, { secretId: existing.id, secretPath: existing.secretPath, kind: "deleted", version: null });
        await recordSecretChange(tx, { secretId: existing.id, secretPath: target.secretPath, kind: "created", version, value });
      }
      return tx.secret.findUniqueOrThrow({ where: { id: existing.id }, select: secretViewSelect });
    });
    notifyChange({ kind: "secret", id: existing.id });
    return toSecretView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw pathTaken(target.secretPath);
    throw error;
  }
}

function isUnchanged(
  existing: {
    secretPath: string;
    provider: string;
    providerPath: string | null;
    secretProviderId: string | null;
    providerConfig: SecretProviderConfig;
    description: string;
  },
  target: SecretTarget,
): boolean {
  const sorted = (config: object) => JSON.stringify(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  return (
    existing.secretPath === target.secretPath &&
    existing.provider === target.provider &&
    existing.providerPath === target.providerPath &&
    existing.secretProviderId === target.secretProviderId &&
    existing.description === target.description &&
    sorted(existing.providerConfig) === sorted(target.providerConfig)
  );
}

// DELETE /api/secrets/:id — 204
export async function deleteSecret(options: { actor: Actor; id: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const existing = await tx.secret.findUnique({ where: { id: options.id }, select: { id: true, secretPath: true } });
    if (!existing || !scopeAllows(options.actor.scope, existing.secretPath)) throw notFound("Secret");
    await tx.secret.delete({ where: { id: existing.id } });
    // Its lineage goes with it (no foreign keys on those tables: they are written from memory later).
    await tx.secretVersionRead.deleteMany({ where: { secretId: existing.id } });
    await tx.secretVersion.deleteMany({ where: { secretId: existing.id } });
    await recordAudit(
      {
        actor: options.actor,
        action: "secret.delete",
        target: { type: "secret", id: existing.id, label: existing.secretPath },
        outcome: "success",
      },
      tx,
    );
    await recordSecretChange(tx, { secretId: existing.id, secretPath: existing.secretPath, kind: "deleted", version: null });
  });
  notifyChange({ kind: "secret", id: options.id });
}

/** The stored value of a stored secret (for its change's fingerprint), or null for an external one. */
function storedValue(secret: { id: string; valueCiphertext: string | null }): string | null {
  return secret.valueCiphertext === null ? null : decrypt(keyring(), secret.valueCiphertext, secretValueAad(secret.id));
}

function staleVersion(): AppError {
  return new AppError("precondition_failed", "The secret was changed by someone else since you read it; reload and try again.");
}
