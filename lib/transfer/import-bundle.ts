import "server-only";
import type { AuditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyChange, type ChangeEvent } from "@/lib/change-events";
import { encrypt } from "@/lib/crypto";
import { db, type Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { secretValueAad } from "@/lib/keys/aad";
import { keyring } from "@/lib/keys/keyring";
import type { ResolveHost } from "@/lib/providers/upstream/guarded-lookup";
import { sealConfig } from "@/lib/secret-providers/connection-config";
import { storeFence } from "@/lib/secret-providers/provider-path-fence";
import { compactProviderConfig } from "@/lib/secrets/secret-schemas";
import { recordSecretChanges } from "@/lib/secrets/watch/change-log";
import { checkSecretTarget } from "@/lib/secrets/write-secrets";
import { openBundle } from "./bundle-crypto";
import { checkPayload, parsePayload, summarize, type BundleConnection, type BundlePayload, type BundleSecret } from "./payload";
import { checkBundleUpstreams } from "./upstream-checks";

/**
 * What to do when a connection name or a secret path in the bundle already exists here:
 * - `fail` (default): import nothing and list them;
 * - `skip`: keep what is here. A new secret of the bundle whose connection is skipped would read
 *   through THIS server's connection of that name, with its credential, at a provider path the
 *   bundle's author chose: that is refused (listing them) unless `rebind` says so explicitly;
 * - `replace`: overwrite it with the bundle's (the row keeps its id here, so references to it,
 *   API clients and audit history stay valid; its version goes up, so caches drop old values).
 * A connection that exists here with another provider type is always a conflict: replacing it
 * would leave this server's own secrets pointing at a connection of the wrong type.
 */
export const ON_CONFLICT = ["fail", "skip", "replace"] as const;
export type OnConflict = (typeof ON_CONFLICT)[number];

export interface ImportReport {
  connections: { created: number; replaced: number; skipped: number };
  secrets: { created: number; replaced: number; skipped: number };
  /** Created rows whose bundle id was already taken here by another row and that got a new id. */
  newIds: number;
}

type Action = "create" | "replace" | "skip";
interface Step<T> {
  item: T;
  action: Action;
  /** The row's id in this database (the bundle's id unless taken, the existing row's for replace/skip). */
  id: string;
}
/** A bundle secret that will read through this server's own connection of the same name. */
export interface Rebind {
  secretPath: string;
  connection: string;
  providerPath: string;
}

interface Plan {
  connections: Step<BundleConnection>[];
  secrets: Step<BundleSecret>[];
  /** Bundle connection id → connection id here. */
  connectionIds: Map<string, string>;
  newIds: number;
  rebinds: Rebind[];
}

const BATCH = 200;
/** An import is one transaction; large ones on a slow disk need longer than Prisma's 5 s default. */
const TRANSACTION_TIMEOUT_MS = 10 * 60 * 1000;

const quoteList = (items: string[]) => summarize(items);

function plan(
  payload: BundlePayload,
  existing: { connections: Array<{ id: string; name: string; type: string }>; secrets: Array<{ id: string; secretPath: string }> },
  onConflict: OnConflict,
): Plan {
  const connectionsByName = new Map(existing.connections.map((c) => [c.name, c]));
  const secretsByPath = new Map(existing.secrets.map((s) => [s.secretPath, s]));

  const wrongType = payload.connections
    .filter((c) => connectionsByName.has(c.name) && connectionsByName.get(c.name)!.type !== c.type)
    .map((c) => `connection "${c.name}" is ${connectionsByName.get(c.name)!.type} here and ${c.type} in the bundle`);
  if (wrongType.length > 0) {
    throw new AppError(
      "conflict",
      `Connections in the bundle have the names of connections of another type here, so nothing was imported ` +
        `(rename one side first):\n${quoteList(wrongType)}`,
      { conflicts: { connections: wrongType } },
    );
  }

  const takenConnections = payload.connections.filter((c) => connectionsByName.has(c.name)).map((c) => c.name);
  const takenSecrets = payload.secrets.filter((s) => secretsByPath.has(s.secretPath)).map((s) => s.secretPath);
  if (onConflict === "fail" && takenConnections.length + takenSecrets.length > 0) {
    const listed = [...takenConnections.map((name) => `connection "${name}"`), ...takenSecrets.map((p) => `secret ${p}`)];
    throw new AppError(
      "conflict",
      `${listed.length} item${listed.length === 1 ? "" : "s"} in the bundle already exist${listed.length === 1 ? "s" : ""} here, so nothing was imported:\n` +
        `${quoteList(listed)}\n` +
        "Use --on-conflict skip to keep what is here, or --on-conflict replace to overwrite it with the bundle's.",
      { conflicts: { connections: takenConnections, secrets: takenSecrets } },
    );
  }

  // Ids are kept (so references made elsewhere to a row still find it), unless another row here
  // already has one: then the row gets a new id, and its ciphertexts are bound to that one.
  const used = {
    connections: new Set([...existing.connections.map((c) => c.id), ...payload.connections.map((c) => c.id)]),
    secrets: new Set([...existing.secrets.map((s) => s.id), ...payload.secrets.map((s) => s.id)]),
  };
  const taken = {
    connections: new Set(existing.connections.map((c) => c.id)),
    secrets: new Set(existing.secrets.map((s) => s.id)),
  };
  let newIds = 0;
  const idFor = (kind: "connections" | "secrets", wanted: string) => {
    if (!taken[kind].has(wanted)) return wanted;
    newIds++;
    let id = newId();
    while (used[kind].has(id)) id = newId();
    used[kind].add(id);
    return id;
  };
  const actionFor = (exists: boolean): Action => (!exists ? "create" : onConflict === "replace" ? "replace" : "skip");

  const connectionIds = new Map<string, string>();
  const connections = payload.connections.map((item): Step<BundleConnection> => {
    const here = connectionsByName.get(item.name);
    const action = actionFor(here !== undefined);
    const id = here ? here.id : idFor("connections", item.id);
    connectionIds.set(item.id, id);
    return { item, action, id };
  });
  const secrets = payload.secrets.map((item): Step<BundleSecret> => {
    const here = secretsByPath.get(item.secretPath);
    return { item, action: actionFor(here !== undefined), id: here ? here.id : idFor("secrets", item.id) };
  });
  const skippedConnections = new Map(connections.filter((s) => s.action === "skip").map((s) => [s.item.id, s.item.name]));
  const rebinds = secrets.flatMap(({ item, action }): Rebind[] => {
    const connection = item.secretProviderId === null ? undefined : skippedConnections.get(item.secretProviderId);
    return action === "create" && connection !== undefined
      ? [{ secretPath: item.secretPath, connection, providerPath: item.providerPath ?? "" }]
      : [];
  });
  return { connections, secrets, connectionIds, newIds, rebinds };
}

export function describeRebind(r: Rebind): string {
  return `secret ${r.secretPath} → this server's connection "${r.connection}" at ${r.providerPath}`;
}

function refuseRebinds(rebinds: Rebind[]): AppError {
  return new AppError(
    "conflict",
    `${rebinds.length} secret${rebinds.length === 1 ? "" : "s"} in the bundle would read through a connection that already exists here ` +
      "(kept by --on-conflict skip), with this server's credential, at provider paths the bundle chose, so nothing was imported:\n" +
      `${quoteList(rebinds.map(describeRebind))}\n` +
      "Check those paths, then run again with --rebind to attach them anyway, or use --on-conflict replace to take the bundle's connections.",
    { rebinds },
  );
}

/**
 * Runs every imported secret through the same check as POST /api/secrets (provider path syntax,
 * connection type, the connection's allowedProviderPaths fence and any rule the providers add), against
 * the connections as they will be after this import. Lists every refused row.
 */
async function checkImportedSecrets(steps: Plan, tx: Parameters<typeof checkSecretTarget>[1]): Promise<void> {
  const problems: string[] = [];
  let forbidden = false;
  for (const { item, action } of steps.secrets) {
    if (action === "skip") continue;
    try {
      await checkSecretTarget(
        {
          secretPath: item.secretPath,
          provider: item.provider,
          value: item.value ?? undefined,
          hasStoredValue: false,
          providerPath: item.providerPath,
          secretProviderId: item.secretProviderId === null ? null : steps.connectionIds.get(item.secretProviderId)!,
          providerConfig: compactProviderConfig(item.providerConfig),
          description: item.description,
        },
        tx,
      );
    } catch (error) {
      if (!isAppError(error)) throw error;
      forbidden ||= error.code === "forbidden";
      const fields = Object.entries((error.extra.fields ?? {}) as Record<string, string>);
      problems.push(
        fields.length
          ? fields.map(([f, m]) => `secret ${item.secretPath}: ${f}: ${m}`).join("; ")
          : `secret ${item.secretPath}: ${error.message}`,
      );
    }
  }
  if (problems.length === 0) return;
  throw new AppError(
    forbidden ? "forbidden" : "validation_error",
    `${problems.length} secret${problems.length === 1 ? "" : "s"} in the bundle break${problems.length === 1 ? "s" : ""} this server's rules, so nothing was imported:\n${quoteList(problems)}`,
    { problems },
  );
}

function count<T>(steps: Step<T>[]): { created: number; replaced: number; skipped: number } {
  return {
    created: steps.filter((s) => s.action === "create").length,
    replaced: steps.filter((s) => s.action === "replace").length,
    skipped: steps.filter((s) => s.action === "skip").length,
  };
}

/** Watchers hear of imported secrets like of any other change (lib/secrets/watch). */
async function recordImportedChanges(
  tx: Pick<Db, "secret" | "secretChange" | "secretVersion">,
  secrets: Array<{ action: string; item: BundleSecret; id: string }>,
): Promise<void> {
  const written = secrets.filter((s) => s.action === "create" || s.action === "replace");
  for (const batch of chunks(written)) {
    const versions = new Map(
      (await tx.secret.findMany({ where: { id: { in: batch.map((s) => s.id) } }, select: { id: true, version: true } })).map((row) => [
        row.id,
        row.version,
      ]),
    );
    await recordSecretChanges(
      tx,
      batch.map(({ action, item, id }) => ({
        secretId: id,
        secretPath: item.secretPath,
        kind: action === "create" ? "created" : "updated",
        version: versions.get(id) ?? null,
        value: item.value,
      })),
    );
  }
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

export interface ImportOptions {
  actor: AuditActor;
  payload: BundlePayload;
  onConflict?: OnConflict;
  /** For the audit event, e.g. the bundle's file name. */
  label?: string;
  /** Under `skip`: attach the bundle's new secrets to this server's connections of the same name. */
  rebind?: boolean;
  /** Told every rebound secret before anything is written (the CLI lists them). */
  onRebind?: (rebinds: Rebind[]) => void;
  /** How connection host names are resolved for the metadata-address rule (the system resolver unless a test injects one). */
  resolveHost?: ResolveHost;
}

/**
 * Imports a decrypted, shape-checked payload in ONE transaction: connections, then secrets, each
 * encrypted under this server's master key, then the `bundle.import` audit event (counts only).
 * Any failure leaves the database as it was.
 */
export async function importPayload(options: ImportOptions): Promise<ImportReport> {
  const { payload } = options;
  const onConflict = options.onConflict ?? "fail";
  checkPayload(payload, { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS });
  const ring = keyring();
  // DNS and Vault are asked before the transaction, never while it holds the write lock; the plan
  // is made again inside it.
  const existing = {
    connections: await db().secretProvider.findMany({ select: { id: true, name: true, type: true } }),
    secrets: await db().secret.findMany({ select: { id: true, secretPath: true } }),
  };
  const preview = plan(payload, existing, onConflict);
  // Nothing is asked through this server's own connections for paths the bundle chose before --rebind allows them.
  if (preview.rebinds.length > 0 && !options.rebind) throw refuseRebinds(preview.rebinds);
  await checkBundleUpstreams(payload, preview, options.resolveHost);

  // Rows replaced in place: announced after the commit, so cached copies (here and on other
  // instances) are dropped. Created rows need no notice: nothing caches a path that did not exist.
  let replaced: ChangeEvent[] = [];
  try {
    const report = await db().$transaction(
      async (tx) => {
        replaced = [];
        const steps = plan(
          payload,
          {
            connections: await tx.secretProvider.findMany({ select: { id: true, name: true, type: true } }),
            secrets: await tx.secret.findMany({ select: { id: true, secretPath: true } }),
          },
          onConflict,
        );
        if (steps.rebinds.length > 0) {
          if (!options.rebind) throw refuseRebinds(steps.rebinds);
          options.onRebind?.(steps.rebinds);
        }

        const createConnections = steps.connections.filter((s) => s.action === "create");
        for (const batch of chunks(createConnections)) {
          await tx.secretProvider.createMany({
            data: batch.map(({ item, id }) => ({
              id,
              name: item.name,
              type: item.type,
              description: item.description,
              allowedProviderPaths: storeFence(item.allowedProviderPaths ?? null),
              ...sealConfig(id, item.type, item.config),
              createdAt: new Date(item.createdAt),
              updatedAt: new Date(item.updatedAt),
            })),
          });
        }
        for (const { item, id } of steps.connections.filter((s) => s.action === "replace")) {
          replaced.push({ kind: "connection", id });
          await tx.secretProvider.update({
            where: { id },
            data: {
              description: item.description,
              // An older bundle has no fence member: the one here stays.
              ...(item.allowedProviderPaths === undefined ? {} : { allowedProviderPaths: storeFence(item.allowedProviderPaths) }),
              ...sealConfig(id, item.type, item.config),
              version: { increment: 1 },
              // The last test was of the old settings.
              lastTestAt: null,
              lastTestOk: null,
              lastTestMessage: null,
              lastTestStage: null,
              lastTestEndpoint: null,
              lastTestHint: null,
            },
          });
        }

        await checkImportedSecrets(steps, tx);

        const columns = (item: BundleSecret, id: string) => ({
          provider: item.provider,
          providerPath: item.providerPath,
          secretProviderId: item.secretProviderId === null ? null : steps.connectionIds.get(item.secretProviderId)!,
          providerConfig: JSON.stringify(compactProviderConfig(item.providerConfig)),
          description: item.description,
          valueCiphertext: item.value === null ? null : encrypt(ring, item.value, secretValueAad(id)),
        });
        for (const batch of chunks(steps.secrets.filter((s) => s.action === "create"))) {
          await tx.secret.createMany({
            data: batch.map(({ item, id }) => ({
              id,
              secretPath: item.secretPath,
              ...columns(item, id),
              createdAt: new Date(item.createdAt),
              updatedAt: new Date(item.updatedAt),
            })),
          });
        }
        for (const { item, id } of steps.secrets.filter((s) => s.action === "replace")) {
          replaced.push({ kind: "secret", id });
          await tx.secret.update({ where: { id }, data: { ...columns(item, id), updatedById: null, version: { increment: 1 } } });
        }
        await recordImportedChanges(tx, steps.secrets);

        const report: ImportReport = { connections: count(steps.connections), secrets: count(steps.secrets), newIds: steps.newIds };
        await recordAudit(
          {
            actor: options.actor,
            action: "bundle.import",
            target: { type: "bundle", label: options.label ?? null },
            outcome: "success",
            details: {
              onConflict,
              rebound: steps.rebinds.length,
              exportedAt: payload.exportedAt,
              sourceDatabase: payload.source.database,
              connectionsCreated: report.connections.created,
              connectionsReplaced: report.connections.replaced,
              connectionsSkipped: report.connections.skipped,
              secretsCreated: report.secrets.created,
              secretsReplaced: report.secrets.replaced,
              secretsSkipped: report.secrets.skipped,
              storedValues: payload.secrets.filter((s) => s.value !== null).length,
              newIds: report.newIds,
            },
          },
          tx,
        );
        return report;
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
    );
    for (const event of replaced) notifyChange(event);
    return report;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        "conflict",
        "A connection or secret with the same name was created here while the import ran, so nothing was imported. Run the import again.",
      );
    }
    throw error;
  }
}

/** Opens a bundle's text with its passphrase and checks the payload's shape (no database access). */
export async function readBundle(text: string, passphrase: string): Promise<BundlePayload> {
  return parsePayload(await openBundle(text, passphrase));
}

/** readBundle + importPayload. */
export async function importBundle(options: Omit<ImportOptions, "payload"> & { text: string; passphrase: string }): Promise<ImportReport> {
  const { text, passphrase, ...rest } = options;
  return importPayload({ ...rest, payload: await readBundle(text, passphrase) });
}
