import type { AuditActor } from "@/lib/auth/actor";
import { fieldMap, fieldsFromZod, parseInput } from "@/lib/validation/zod-errors";
import { isPlainObject } from "@/lib/validation/text";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { AppError, notFound, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { addressChanges, credentialsNotResent } from "@/lib/providers/address-change";
import { sensitiveKeys, type ProviderConfig, type ProviderDefinition } from "@/lib/providers/definition";
import { isProviderType, providerDefinition, type ProviderType } from "@/lib/providers/registry";
import { openConfig, sealConfig } from "./connection-config";
import { createConnectionShape, unknownTypeMessage, updateConnectionShape, validateConfig } from "./connection-schemas";
import { maskConnection, type ConnectionView } from "./connection-view";
import { MASK } from "./mask";
import { storeFence } from "./provider-path-fence";
import { resolvedAddressProblems } from "./resolved-address-rules";
import { notifyChange } from "@/lib/change-events";

function urlRules() {
  return { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS };
}

async function refuseMetadataResolutions(type: ProviderType, config: ProviderConfig): Promise<void> {
  const problems = await resolvedAddressProblems(type, config);
  if (Object.keys(problems).length > 0) throw validationError(problems);
}

function nameTaken(name: string): AppError {
  return new AppError("name_taken", `A connection named "${name}" already exists.`, { fields: { name: "Already taken" } });
}

// POST /api/secret-providers
export async function createConnection(options: { actor: AuditActor; input: unknown }): Promise<ConnectionView> {
  const input = validateCreateInput(options.input);
  await refuseMetadataResolutions(input.type, input.config);
  const id = newId();
  const sealed = sealConfig(id, input.type, input.config);
  try {
    const row = await db().$transaction(async (tx) => {
      const created = await tx.secretProvider.create({
        data: {
          id,
          name: input.name,
          type: input.type,
          description: input.description ?? "",
          allowedProviderPaths: storeFence(input.allowedProviderPaths ?? null),
          ...sealed,
        },
      });
      await recordAudit(
        {
          actor: options.actor,
          action: "secret_provider.create",
          target: { type: "secret_provider", id, label: input.name },
          outcome: "success",
          details: { type: input.type, fields: Object.keys(input.config).sort(), allowedProviderPaths: input.allowedProviderPaths ?? null },
        },
        tx,
      );
      return created;
    });
    return maskConnection(row, 0);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

/**
 * PUT/PATCH /api/secret-providers/:id. `config` merges key by key: absent keeps, MASK on a
 * sensitive field keeps, "" or null clears, anything else replaces. The merged result is then
 * validated as a whole, exactly like a new connection.
 */
export async function updateConnection(options: {
  actor: AuditActor;
  id: string;
  input: unknown;
  expectedVersion?: number;
}): Promise<ConnectionView> {
  const input = parseInput(updateConnectionShape, options.input);
  const existing = await db().secretProvider.findUnique({ where: { id: options.id } });
  if (!existing) throw notFound("Secret provider connection");
  if (options.expectedVersion !== undefined && options.expectedVersion !== existing.version) throw staleVersion();
  if (input.type !== undefined && input.type !== existing.type) {
    throw validationError({ type: "The provider type of a connection cannot change; create a new connection instead" });
  }
  if (!isProviderType(existing.type)) throw new AppError("conflict", unknownTypeMessage(existing.type));

  const stored = openConfig(existing);
  // No prototype: a `__proto__` member in the request must stay a member, and be refused as unknown.
  const merged: Record<string, unknown> = Object.assign(Object.create(null), stored);
  const sensitive = sensitiveKeys(providerDefinition(existing.type));
  const changedFields: string[] = [];
  for (const [key, value] of Object.entries(input.config ?? {})) {
    if (value === undefined) continue;
    if (sensitive.has(key) && value === MASK) continue;
    // Cleared as null rather than deleted, so that validation still sees the key: clearing a
    // field this type does not have is refused as unknown, like setting one.
    if (value === "" || value === null) merged[key] = null;
    else merged[key] = value;
    changedFields.push(key);
  }
  const checked = validateConfig(existing.type, merged, urlRules());
  if (!checked.ok) throw validationError(checked.fields);
  const definition = providerDefinition(existing.type);
  const moved = addressChanges(definition, stored, checked.config);
  if (moved.length > 0)
    refuseCredentialsFollowing(
      definition,
      moved.map((m) => m.field),
      checked.config,
      input.config ?? {},
    );
  await refuseMetadataResolutions(existing.type, checked.config);

  const name = input.name ?? existing.name;
  const description = input.description === undefined ? existing.description : (input.description ?? "");
  // Absent keeps the fence, null removes it, a list replaces it.
  const fence = input.allowedProviderPaths === undefined ? undefined : storeFence(input.allowedProviderPaths);
  // A write that changes nothing keeps version and ETag, so it cannot break another editor's If-Match.
  const sameFence = fence === undefined || fence === existing.allowedProviderPaths;
  if (name === existing.name && description === existing.description && sameFence && sameConfig(stored, checked.config)) {
    const row = await db().secretProvider.findUniqueOrThrow({
      where: { id: existing.id },
      include: { _count: { select: { secrets: true } } },
    });
    return maskConnection(row, row._count.secrets);
  }
  const sealed = sealConfig(existing.id, existing.type, checked.config);
  try {
    const row = await db().$transaction(async (tx) => {
      // Conditional on the version read above, so two concurrent edits cannot silently overwrite.
      const updated = await tx.secretProvider.updateMany({
        where: { id: existing.id, version: existing.version },
        data: {
          name,
          description,
          ...(fence === undefined ? {} : { allowedProviderPaths: fence }),
          ...sealed,
          version: { increment: 1 },
        },
      });
      if (updated.count !== 1) throw staleVersion();
      await recordAudit(
        {
          actor: options.actor,
          action: "secret_provider.update",
          target: { type: "secret_provider", id: existing.id, label: name },
          outcome: "success",
          details: {
            changed: [
              ...(input.name !== undefined && input.name !== existing.name ? ["name"] : []),
              ...(input.description !== undefined ? ["description"] : []),
              ...(sameFence ? [] : ["allowedProviderPaths"]),
              ...changedFields.map((k) => `config.${k}`),
            ],
            // Addresses are not secrets: who pointed a connection where is worth keeping.
            ...Object.fromEntries(
              moved.flatMap((m) => [
                [`old.config.${m.field}`, m.from],
                [`new.config.${m.field}`, m.to],
              ]),
            ),
          },
        },
        tx,
      );
      return tx.secretProvider.findUniqueOrThrow({ where: { id: existing.id }, include: { _count: { select: { secrets: true } } } });
    });
    notifyChange({ kind: "connection", id: existing.id });
    return maskConnection(row, row._count.secrets);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

/** DELETE /api/secret-providers/:id — 409 provider_in_use while secrets reference it. */
export async function deleteConnection(options: { actor: AuditActor; id: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const existing = await tx.secretProvider.findUnique({ where: { id: options.id }, select: { id: true, name: true } });
    if (!existing) throw notFound("Secret provider connection");
    const count = await tx.secret.count({ where: { secretProviderId: existing.id } });
    if (count > 0) {
      const secrets = await tx.secret.findMany({
        where: { secretProviderId: existing.id },
        select: { id: true, secretPath: true },
        orderBy: { secretPath: "asc" },
        take: 20,
      });
      throw new AppError(
        "provider_in_use",
        `Connection "${existing.name}" is used by ${count} secret${count === 1 ? "" : "s"}; delete or reassign ${count === 1 ? "it" : "them"} first.`,
        { referencingSecrets: count, secrets },
      );
    }
    await tx.secretProvider.delete({ where: { id: existing.id } });
    // Its usage rows go with it (no foreign key: they are added from memory every few seconds).
    await tx.providerUsageDay.deleteMany({ where: { connectionId: existing.id } });
    await recordAudit(
      {
        actor: options.actor,
        action: "secret_provider.delete",
        target: { type: "secret_provider", id: existing.id, label: existing.name },
        outcome: "success",
      },
      tx,
    );
  });
  notifyChange({ kind: "connection", id: options.id });
}

/**
 * CONTRACT "A credential stays with the address it was given for": a changed address needs every
 * stored credential sent anew (not left out, not the mask), or it would follow the new address.
 */
function refuseCredentialsFollowing(
  definition: ProviderDefinition,
  moved: string[],
  after: ProviderConfig,
  sent: Record<string, unknown>,
): void {
  const sentAnew = (key: string) => typeof sent[key] === "string" && (sent[key] as string).trim() !== "" && sent[key] !== MASK;
  const missing = credentialsNotResent(definition, after, sentAnew);
  if (missing.length === 0) return;
  const labels = new Map(definition.fields.map((f) => [f.key, f.label]));
  const addresses = moved.map((key) => labels.get(key) ?? key).join(", ");
  const message = (key: string) =>
    `${labels.get(key) ?? key} must be entered again when ${addresses} changes: stored credentials never follow a new address`;
  throw validationError(Object.fromEntries(missing.map((key) => [`config.${key}`, message(key)])));
}

function sameConfig(a: ProviderConfig, b: ProviderConfig): boolean {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) => a[key] === b[key]);
}

function staleVersion(): AppError {
  return new AppError("precondition_failed", "The connection was changed by someone else since you read it; reload and try again.");
}

/**
 * Validates a new connection, reporting the body's shape errors and the type's config errors
 * together, so a form can show every problem at once.
 */
function validateCreateInput(raw: unknown): {
  name: string;
  type: ProviderType;
  config: ProviderConfig;
  description?: string | null;
  allowedProviderPaths?: string[] | null;
} {
  const base = createConnectionShape.safeParse(raw);
  const fields = base.success ? fieldMap() : fieldsFromZod(base.error);
  const body = isPlainObject(raw) ? raw : {};
  const config = body.config ?? {};
  if (typeof body.type === "string" && isPlainObject(config)) {
    const checked = validateConfig(body.type, config, urlRules());
    if (!checked.ok) {
      for (const [key, message] of Object.entries(checked.fields)) fields[key] ??= message;
    } else if (isProviderType(body.type)) {
      // The mask stands for "the stored value" on an edit; a new connection has none to keep.
      for (const key of sensitiveKeys(providerDefinition(body.type))) {
        if (checked.config[key] === MASK) fields[`config.${key}`] ??= "Enter the credential itself, not the mask shown for a stored one";
      }
      if (base.success && Object.keys(fields).length === 0) return { ...base.data, type: body.type, config: checked.config };
    }
  }
  throw validationError(fields);
}
