import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { scopeAllows } from "@/lib/auth/scope";
import { sanitizeText } from "@/lib/validation/text";
import { parseInput } from "@/lib/validation/zod-errors";
import { recordAudits, type AuditEntry } from "@/lib/audit/record-audit";
import { decrypt } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, isAppError, notFound, validationError } from "@/lib/errors";
import { secretValueAad } from "@/lib/keys/aad";
import { keyring } from "@/lib/keys/keyring";
import { describeError, log } from "@/lib/log";
import { requireInsideFence } from "@/lib/secret-providers/provider-path-fence";
import { isSecretPath, isValidPrefix, matchesPrefix } from "../secret-path";
import { PROVENANCE_PROVIDER } from "../secret-schemas";
import { parseProviderConfig } from "../secret-view";
import { noteExternalRead, noteStoredRead } from "@/lib/lineage/lineage-meter";
import { countRead } from "@/lib/metrics/read-counter";
import { countCacheAnswer } from "@/lib/usage/usage-meter";
import { fetchExternalValue, type FetchOptions } from "./external-values";
import { FetchGatherer } from "./fetch-gatherer";
import { extractJsonKey } from "./json-key";
import { enterBatch } from "./batches-in-flight";
import { enforceResolveLimit } from "./resolve-limit";
import { batchValueSizes, runBatch, type PathOutcome } from "./run-batch";
import { findSecretByPath, findSecretsByPaths } from "./secret-lookup";
import type { BatchResolveResult, ResolvedSecret, ResolveFailure } from "./resolved-shapes";

// The answers' shapes are the zod schemas of resolved-shapes.ts, which the TypeScript client's
// types (client/src/types.ts) must accept.
export type { BatchResolveResult, ResolvedSecret, ResolveFailure };

const MAX_BATCH = 500;
/**
 * Paths of one batch in flight at once, once its first values have shown they are small
 * (run-batch.ts): enough for a batch of 100 to go out together, one round trip to each manager.
 * What reaches each manager is bounded per connection (PROVENANCE_PROVIDER_MAX_SOCKETS sockets;
 * AWS reads go 20 to a call).
 */
const BATCH_CONCURRENCY = 128;

/**
 * `askedAt`: when the request arrived (Date.now()), as early as the door that took it can tell. A
 * read of the secret in flight at that moment answers it, even with a TTL of 0 (value-cache.ts),
 * so a herd of concurrent resolves costs one upstream call however long each spends on the way.
 */
interface Asked {
  actor: Actor;
  askedAt?: number;
}

// GET /api/secrets/resolve?path= — 404 when no such secret
export async function resolveSecret(options: Asked & { path: string }): Promise<ResolvedSecret> {
  const askedAt = options.askedAt ?? Date.now();
  await enforceResolveLimit(options.actor, 1);
  const outcome = await resolveWithAudit(options.actor, options.path, { askedAt });
  countRead(outcome.audit.outcome);
  await recordAudits([outcome.audit]);
  if ("error" in outcome) throw outcome.error;
  return outcome.result;
}

export const batchResolveInput = z
  .object({
    paths: z.array(z.string().max(500), { message: "paths must be an array of secret paths" }).min(1).max(MAX_BATCH).optional(),
    prefix: z.string().max(200).optional(),
  })
  .strict()
  .refine((body) => (body.paths === undefined) !== (body.prefix === undefined), {
    message: "Send either paths or prefix",
    path: ["paths"],
  });

/**
 * Time a batch may take beyond the provider timeout (room for a cold SDK import and the database
 * reads): the whole batch answers within PROVENANCE_PROVIDER_TIMEOUT_MS plus this, however many
 * of its paths hang.
 */
const BATCH_DEADLINE_MARGIN_MS = 3_000;
/** Paths named in a batch's audit row; the row also has the counts. */
const AUDITED_PATHS = 100;

// POST /api/secrets/resolve — {values, errors}; one failing path never fails the rest
export async function resolveSecrets(options: Asked & { input: unknown }): Promise<BatchResolveResult> {
  const { actor } = options;
  const askedAt = options.askedAt ?? Date.now();
  const input = parseInput(batchResolveInput, options.input);
  const leave = enterBatch(actor);
  try {
    const paths = input.paths ? [...new Set(input.paths)] : await pathsUnderPrefix(actor, input.prefix!);
    // Each path is one resolve for the per-minute limit: a batch is not a way around it.
    await enforceResolveLimit(actor, paths.length);
    const timeoutMs = env().PROVENANCE_PROVIDER_TIMEOUT_MS;
    const deadlineMs = timeoutMs + BATCH_DEADLINE_MARGIN_MS;
    // One query for the rows not in memory, instead of one per path; each path then finds its row there.
    await findSecretsByPaths(paths.filter((p) => isSecretPath(p) && scopeAllows(actor.scope, p)));
    const gatherer = new FetchGatherer();
    const outcomes = await runBatch(
      paths,
      {
        concurrency: BATCH_CONCURRENCY,
        budgetBytes: env().PROVENANCE_RESOLVE_BATCH_MAX_BYTES,
        knownSizes: batchValueSizes(),
        deadlineMs,
        timeoutFailure: (path) => ({
          code: "provider_timeout",
          message: `${path}: not answered within the batch's deadline of ${deadlineMs} ms (the provider timeout, ${timeoutMs} ms, plus ${BATCH_DEADLINE_MARGIN_MS} ms).`,
        }),
      },
      (path) => resolveForBatch(actor, path, askedAt, gatherer),
    );

    const values: Record<string, string> = {};
    const errors: Record<string, ResolveFailure> = {};
    outcomes.forEach((outcome, index) => {
      const path = paths[index]!;
      if (outcome.ok) values[path] = outcome.value;
      else errors[path] = { code: outcome.code, message: outcome.message };
      countRead(outcome.ok ? "success" : outcome.code === "forbidden" ? "denied" : "failure");
    });
    await recordAudits([batchAudit(actor, input.prefix, paths, errors)]);
    return { values, errors };
  } finally {
    leave();
  }
}

async function resolveForBatch(actor: Actor, path: string, askedAt: number, gatherer: FetchGatherer): Promise<PathOutcome<null>> {
  const gather = gatherer.ticket();
  try {
    const { result } = await resolveOne(actor, path, { askedAt, gather });
    return { ok: true, value: result.value, extra: null };
  } catch (caught) {
    const error = isAppError(caught) ? caught : unexpected(caught, path);
    return { ok: false, code: error.code, message: error.message };
  } finally {
    gather.done();
  }
}

/**
 * One audit row per batch, however many paths it read: audit writes grow with requests, not
 * paths. It names the paths asked for (the first AUDITED_PATHS) and which failed with what.
 */
function batchAudit(actor: Actor, prefix: string | undefined, paths: string[], errors: Record<string, ResolveFailure>): AuditEntry {
  const failed = Object.entries(errors);
  const denied = failed.filter(([, e]) => e.code === "forbidden").length;
  const outcome = paths.length > 0 && failed.length === paths.length ? (denied === paths.length ? "denied" : "failure") : "success";
  return {
    actor,
    action: "secret.resolve_batch",
    target: {
      type: "secret",
      label: prefix !== undefined ? `${prefix || "(all)"}.*` : paths.length === 1 ? paths[0]! : `${paths.length} paths`,
    },
    outcome,
    details: {
      ...(prefix !== undefined ? { prefix } : {}),
      paths: paths.length,
      resolved: paths.length - failed.length,
      failed: failed.length,
      // Paths that failed validation are whatever the caller sent: made storable and readable.
      pathsListed: paths.slice(0, AUDITED_PATHS).map((p) => sanitizeText(p, 200)),
      failures: failed.slice(0, AUDITED_PATHS).map(([p, e]) => `${sanitizeText(p, 200)}: ${e.code}`),
    },
  };
}

async function pathsUnderPrefix(actor: Actor, prefix: string): Promise<string[]> {
  if (!isValidPrefix(prefix)) throw validationError({ prefix: "Prefix must be a dotted secret path such as stripe" });
  const rows = await db().secret.findMany({
    where: prefix ? { secretPath: { startsWith: prefix.replace(/\.$/, "") } } : {},
    select: { secretPath: true },
    orderBy: { secretPath: "asc" },
  });
  return rows
    .map((r) => r.secretPath)
    .filter((p) => matchesPrefix(p, prefix) && scopeAllows(actor.scope, p))
    .slice(0, MAX_BATCH);
}

type Outcome = { result: ResolvedSecret; audit: AuditEntry } | { error: AppError; audit: AuditEntry };

/** Resolves one path and describes the read for the audit log (never with its value). */
async function resolveWithAudit(actor: Actor, path: string, read: FetchOptions): Promise<Outcome> {
  const audit: AuditEntry = { actor, action: "secret.resolve", target: { type: "secret", label: path.slice(0, 200) }, outcome: "success" };
  try {
    const { result, secretId, connectionId } = await resolveOne(actor, path, read);
    audit.target = { type: "secret", id: secretId, label: path };
    audit.details = {
      provider: result.provider,
      connectionId,
      version: result.version,
      cache: result.stale ? "stale" : result.cached ? "hit" : result.provider === PROVENANCE_PROVIDER ? "none" : "miss",
    };
    return { result, audit };
  } catch (caught) {
    const error = isAppError(caught) ? caught : unexpected(caught, path);
    audit.outcome = error.code === "forbidden" ? "denied" : "failure";
    audit.details = { code: error.code };
    return { error, audit };
  }
}

async function resolveOne(
  actor: Actor,
  path: string,
  read: FetchOptions,
): Promise<{ result: ResolvedSecret; secretId: string; connectionId: string | null }> {
  if (!isSecretPath(path)) throw validationError({ path: "Must be a dotted secret path such as stripe.apiKey" });
  if (!scopeAllows(actor.scope, path)) throw new AppError("forbidden", `This token's scope (${actor.scope}) does not cover ${path}.`);
  const secret = await findSecretByPath(path);
  if (!secret) throw notFound(`Secret ${path}`);
  const providerConfig = parseProviderConfig(secret.providerConfig);
  const pick = (fetched: { value: string; fields?: Record<string, unknown> }) =>
    providerConfig.jsonKey ? extractJsonKey(fetched, providerConfig.jsonKey, path) : fetched.value;

  if (secret.provider === PROVENANCE_PROVIDER) {
    const value = decrypt(keyring(), secret.valueCiphertext ?? "", secretValueAad(secret.id));
    const picked = pick({ value });
    // Lineage: which version this reader got (in memory; stored every few seconds).
    noteStoredRead(secret.id, secret.version, value, actor, Date.now());
    return {
      secretId: secret.id,
      connectionId: null,
      result: {
        secretPath: path,
        value: picked,
        provider: PROVENANCE_PROVIDER,
        version: String(secret.version),
        cached: false,
        stale: false,
        fetchedAt: new Date().toISOString(),
      },
    };
  }
  if (!secret.secretProvider || !secret.providerPath) {
    throw new AppError("provider_error", `${path} references a provider connection that no longer exists.`);
  }
  // Checked on every read, cached values included, so narrowing a fence takes effect at once.
  requireInsideFence(secret.secretProvider, secret.providerPath);
  const fetching = fetchExternalValue(
    {
      id: secret.id,
      version: secret.version,
      providerPath: secret.providerPath,
      providerConfig,
      connection: secret.secretProvider,
    },
    read,
  );
  // The read is now served, joined or on its way: in a batch, the gathered reads need not wait
  // for this one (say, joined to another request's read) to finish.
  read.gather?.done();
  const connectionId = secret.secretProvider.id;
  let fetched: Awaited<typeof fetching>;
  try {
    fetched = await fetching;
  } catch (error) {
    countCacheAnswer(connectionId, false);
    throw error;
  }
  // Usage and lineage are counted in memory (lib/usage, lib/lineage), never written per read.
  countCacheAnswer(connectionId, fetched.cached && !fetched.stale);
  const value = pick(fetched.fetched);
  noteExternalRead(secret.id, fetched.fetched, !fetched.cached, actor, Date.now());
  return {
    secretId: secret.id,
    connectionId,
    result: {
      secretPath: path,
      value,
      provider: secret.provider as ResolvedSecret["provider"], // only values the write schemas accepted are stored
      version: fetched.fetched.version,
      cached: fetched.cached,
      stale: fetched.stale,
      fetchedAt: new Date(fetched.fetchedAt).toISOString(),
    },
  };
}

function unexpected(error: unknown, path: string): AppError {
  log.error("resolve failed unexpectedly", { path, ...describeError(error) });
  return new AppError("internal_error", `Resolving ${path} failed on the server; the error was logged.`);
}
