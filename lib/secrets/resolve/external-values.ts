import "server-only";
import { onChange } from "@/lib/change-events";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { providerAdapters } from "@/lib/providers/adapters";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import { CircuitBreaker } from "@/lib/providers/upstream/circuit-breaker";
import { processShared } from "@/lib/process-shared";
import { openConfig } from "@/lib/secret-providers/connection-config";
import type { ConnectionRow } from "@/lib/secret-providers/connection-view";
import type { ProviderConfig } from "@/lib/providers/definition";
import type { SecretProviderConfig } from "../secret-schemas";
import type { GatherTicket } from "./fetch-gatherer";
import { ValueCache, type CacheResult } from "./value-cache";

/**
 * Fetching external values through the cache. One cache and one breaker per process (shared by
 * every bundle that loads this module); the cache listens for changes to secrets and connections
 * and drops what they invalidate. The breaker is keyed by connection id (see circuit-breaker.ts).
 */
function breaker(): CircuitBreaker {
  return processShared("resolve.breaker", () => new CircuitBreaker());
}

function cache(): ValueCache {
  return processShared("resolve.valueCache", () => {
    const created = new ValueCache({ maxEntries: env().PROVENANCE_CACHE_MAX_ENTRIES, maxBytes: env().PROVENANCE_CACHE_MAX_BYTES });
    onChange((event) => {
      if (event.kind === "connection") {
        for (const adapter of Object.values(providerAdapters)) adapter.forget(event.id);
        breaker().forget(event.id);
        forgetOpenedConfigs(event.id);
      }
      if (event.kind === "all") openedConfigs().clear();
      created.dropWhere((key) => event.kind === "all" || key.split(":").includes(event.id));
    });
    return created;
  });
}

/**
 * Connection configs as opened (credentials decrypted, JSON parsed), by `${id}:${version}`: once
 * per connection version rather than once per upstream read. The decrypted credentials are held
 * in memory as the SDK clients built from them already are; a changed connection has a new
 * version, and its change event drops the old one.
 */
const MAX_OPENED_CONFIGS = 1_000;

function openedConfigs(): Map<string, ProviderConfig> {
  return processShared("resolve.openedConfigs", () => new Map<string, ProviderConfig>());
}

function openedConfig(connection: ConnectionRow): ProviderConfig {
  const configs = openedConfigs();
  const key = `${connection.id}:${connection.version}`;
  let config = configs.get(key);
  if (!config) {
    config = openConfig(connection);
    if (configs.size >= MAX_OPENED_CONFIGS) configs.clear();
    configs.set(key, config);
  }
  return config;
}

function forgetOpenedConfigs(connectionId: string): void {
  const configs = openedConfigs();
  for (const key of [...configs.keys()]) if (key.startsWith(`${connectionId}:`)) configs.delete(key);
}

/** Upstream trouble may be answered with the last good value; our own errors may not. */
function isUpstreamFailure(error: unknown): boolean {
  return isAppError(error) && (error.code === "provider_error" || error.code === "provider_timeout");
}

/** Room for a cold SDK import on top of the upstream budget before the safety net fires. */
export const SAFETY_NET_MS = 10_000;

export interface ExternalSecret {
  id: string;
  version: number;
  providerPath: string;
  providerConfig: SecretProviderConfig;
  connection: ConnectionRow;
}

export interface FetchOptions {
  /** When the request arrived (Date.now()): a read in flight at that moment answers it. */
  askedAt?: number;
  /** In a batch resolve: this path's place among the reads the manager may answer together. */
  gather?: GatherTicket;
}

export async function fetchExternalValue(secret: ExternalSecret, options: FetchOptions = {}): Promise<CacheResult> {
  const { connection } = secret;
  if (!isProviderType(connection.type)) throw new AppError("provider_error", `Unknown provider type ${connection.type}.`);
  const type = connection.type;
  const adapter = providerAdapters[type];
  const timeoutMs = env().PROVENANCE_PROVIDER_TIMEOUT_MS;
  const ttlSeconds = secret.providerConfig.cacheTtlSeconds ?? env().PROVENANCE_CACHE_TTL_SECONDS;
  const key = `${secret.id}:${secret.version}:${connection.id}:${connection.version}`;

  return cache().get(
    key,
    { ttlMs: ttlSeconds * 1000, maxStaleMs: env().PROVENANCE_CACHE_MAX_STALE_SECONDS * 1000, serveStaleOn: isUpstreamFailure },
    () =>
      breaker().run(connection.id, providerDefinition(type).name, async () => {
        const request = {
          connectionKey: `${connection.id}:${connection.version}`,
          config: openedConfig(connection),
          timeoutMs,
          path: secret.providerPath,
          version: secret.providerConfig.version,
        };
        const fetched = await withDeadline(
          options.gather ? options.gather.fetch(adapter, request) : adapter.fetchSecret(request),
          // A safety net over the adapter's own deadline (which starts after the SDK has loaded):
          // whatever happens below, no caller hangs.
          SAFETY_NET_MS + timeoutMs,
          `${providerDefinition(type).name}: timed out after ${timeoutMs} ms fetching ${secret.providerPath}`,
        );
        checkValueSize(providerDefinition(type).name, secret.providerPath, fetched.value);
        return fetched;
      }),
    options.askedAt,
  );
}

/** PROVENANCE_MAX_EXTERNAL_VALUE_BYTES, when set: a larger upstream value is refused, not cached or served. */
function checkValueSize(provider: string, providerPath: string, value: string): void {
  const max = env().PROVENANCE_MAX_EXTERNAL_VALUE_BYTES;
  if (max > 0 && Buffer.byteLength(value, "utf8") > max) {
    throw new AppError(
      "provider_error",
      `${provider}: the value of ${providerPath} is larger than ${max} bytes (PROVENANCE_MAX_EXTERNAL_VALUE_BYTES)`,
      {
        upstreamCode: "ValueTooLarge",
      },
    );
  }
}

export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("provider_timeout", message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
