import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { parseInput } from "@/lib/validation/zod-errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { fingerprint } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, isAppError, notFound, validationError } from "@/lib/errors";
import { keyring } from "@/lib/keys/keyring";
import { describeError, log } from "@/lib/log";
import { providerAdapters } from "@/lib/providers/adapters";
import { reportFailure } from "@/lib/providers/failure-report";
import { NOT_KV_MOUNT } from "@/lib/providers/vault/paths";
import { consume, describeWait } from "@/lib/rate-limit/sliding-window";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import { SAFETY_NET_MS, withDeadline } from "@/lib/secrets/resolve/external-values";
import { refuseScopedUpstreamChoice } from "@/lib/secrets/upstream-choice";
import { openConfig } from "./connection-config";
import { requireInsideFence } from "./provider-path-fence";
import type { TestFailure, TestResult } from "./test-result";

export const testConnectionInput = z
  .object({
    providerPath: z.string().trim().max(2048).optional().nullable(),
    version: z.string().trim().min(1).max(200).optional().nullable(),
  })
  .strict();

export type { TestFailure, TestResult };

/**
 * POST /api/secret-providers/:id/test — proves the connection works. With a providerPath it reads
 * that secret and reports its upstream version and a keyed fingerprint (never the value), so a
 * person can tell whether two places hold the same secret. Upstream failures are a normal
 * answer here (ok: false), not an HTTP error.
 */
export async function testConnection(options: { actor: Actor; id: string; input: unknown }): Promise<TestResult> {
  const input = parseInput(testConnectionInput, options.input);
  // Reading an upstream path is not bound by secret paths, so a scoped token may not do it: its
  // scope would stop meaning anything. The same rule as choosing a secret's upstream.
  if (input.providerPath) refuseScopedUpstreamChoice(options.actor, "test a connection by reading a provider path");
  const connection = await db().secretProvider.findUnique({ where: { id: options.id } });
  if (!connection) throw notFound("Secret provider connection");
  if (!isProviderType(connection.type)) throw new AppError("conflict", `Unknown provider type ${connection.type}.`);
  const definition = providerDefinition(connection.type);
  if (input.providerPath) {
    const problem = definition.checkPath(input.providerPath);
    if (problem) throw validationError({ providerPath: problem });
    requireInsideFence(connection, input.providerPath);
  }
  await enforceTestLimit(options.actor, connection.id);

  const adapter = providerAdapters[connection.type];
  const context = {
    connectionKey: `${connection.id}:${connection.version}`,
    config: openConfig(connection),
    timeoutMs: env().PROVENANCE_PROVIDER_TIMEOUT_MS,
  };
  const started = performance.now();
  let result: TestResult;
  try {
    const deadline = context.timeoutMs + SAFETY_NET_MS;
    const timeoutMessage = `${definition.name}: timed out after ${context.timeoutMs} ms`;
    if (input.providerPath) {
      const fetched = await withDeadline(
        adapter.fetchSecret({ ...context, path: input.providerPath, version: input.version ?? undefined }),
        deadline,
        timeoutMessage,
      );
      result = { ok: true, latencyMs: elapsed(started), version: fetched.version, fingerprint: fingerprint(keyring(), fetched.value) };
    } else {
      await withDeadline(adapter.checkConnection(context), deadline, timeoutMessage);
      result = { ok: true, latencyMs: elapsed(started) };
    }
  } catch (error) {
    // A path the connection may never read (a Vault mount that is no KV engine) is bad input, as on save.
    if (input.providerPath && isAppError(error) && error.extra.upstreamCode === NOT_KV_MOUNT)
      throw validationError({ providerPath: error.message });
    if (!isAppError(error)) log.error("connection test failed unexpectedly", { connectionId: connection.id, ...describeError(error) });
    const failure: TestFailure = isAppError(error)
      ? { code: error.code, message: error.message, ...reportFailure(connection.type, context.config, error) }
      : { code: "internal_error", message: "The test failed on the server; the error was logged." };
    result = { ok: false, latencyMs: elapsed(started), error: failure };
  }

  // Kept only when the config tested is still the stored one (an edit during the test makes the
  // result about an old config). A test is no change to the connection: updatedAt stays, so that
  // "changed after the last test" (test-freshness.ts) can be told from the two times.
  await db().secretProvider.updateMany({
    where: { id: connection.id, version: connection.version },
    data: {
      lastTestAt: new Date(),
      ...storedOutcome(result),
      updatedAt: connection.updatedAt,
    },
  });
  await recordAudit({
    actor: options.actor,
    action: "secret_provider.test",
    target: { type: "secret_provider", id: connection.id, label: connection.name },
    outcome: result.ok ? "success" : "failure",
    details: { providerPath: input.providerPath ?? null, ...(result.ok ? {} : { code: result.error.code }) },
  });
  return result;
}

/**
 * Each test makes real calls upstream (a sign-in, a read), so tests are limited per caller and
 * connection: an editor's script cannot turn Provenance into an amplifier against a provider, or
 * run up its bill and throttling. Counted across every instance, like the resolve limit.
 */
async function enforceTestLimit(actor: Actor, connectionId: string): Promise<void> {
  const limit = env().PROVENANCE_TEST_LIMIT_PER_MINUTE;
  const decision = await consume({ name: "test.caller-connection", limit, windowMs: 60_000 }, `${actor.kind}:${actor.id}:${connectionId}`);
  if (decision.allowed) return;
  throw new AppError(
    "rate_limited",
    `Too many tests of this connection (limit ${limit} per minute). Try again in ${describeWait(decision.retryAfterSeconds)}.`,
    { retryAfterSeconds: decision.retryAfterSeconds },
  );
}

/**
 * What is kept of a test: a pass clears the last failure's report; a failure keeps its message,
 * stage, host and hint (already free of credentials: reportFailure names only host[:port]), so
 * the connection's page says the same after a reload.
 */
function storedOutcome(result: TestResult) {
  if (result.ok) return { lastTestOk: true, lastTestMessage: null, lastTestStage: null, lastTestEndpoint: null, lastTestHint: null };
  const { error } = result;
  return {
    lastTestOk: false,
    lastTestMessage: error.message.slice(0, 500),
    lastTestStage: error.stage ?? null,
    lastTestEndpoint: error.endpoint?.slice(0, 300) ?? null,
    lastTestHint: error.hint?.slice(0, 500) ?? null,
  };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
