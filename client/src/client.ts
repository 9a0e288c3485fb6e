import { ValueCache } from "./cache.js";
import { envName, isPortableEnvName } from "./env-names.js";
import { ProvenanceError } from "./errors.js";
import { createTransport, type IdTokenSource } from "./transport.js";
import { followWatch, type SecretChange, type Watch, type WatchOptions } from "./watch.js";
import type { BatchResolveResult, ResolvedSecret } from "./types.js";

export interface ClientOptions {
  /** The server, e.g. `https://secrets.example.com`. */
  url: string;
  /** An API token (`Authorization: Bearer`); or, with no stored secret at all, */
  token?: string;
  /**
   * an OIDC ID token (GitHub Actions, GitLab CI, a Kubernetes service-account token), or a function
   * that gives a fresh one: traded at POST /api/auth/token-exchange for a short-lived token, which is
   * traded again before it expires.
   */
  idToken?: IdTokenSource;
  /** How long `get` reuses a value, in seconds (default 60; 0 asks the server every time). */
  cacheTtlSeconds?: number;
  /** How long past its TTL a value is still answered while one background request refreshes it (default 300). */
  staleWhileRevalidateSeconds?: number;
  /** Per request, in milliseconds (default 10,000). */
  timeoutMs?: number;
  /** For tests and unusual runtimes; the global fetch by default. */
  fetch?: typeof fetch;
}

export type ManyInput = { paths: string[] } | { prefix: string };

export interface LoadEnvOptions {
  /** Every secret under each prefix, named by the segments after it (prefix `stripe`: `stripe.apiKey` → `API_KEY`). */
  prefixes?: string[];
  /** Single paths, named by all their segments (`stripe.apiKey` → `STRIPE_API_KEY`). */
  paths?: string[];
  /** Explicit names: `{ DATABASE_URL: "prod.db.url" }`. */
  names?: Record<string, string>;
  /** Where to write (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Replace variables that are already set (default true, as `provenance run` does). */
  override?: boolean;
}

export interface LoadedEnv {
  /** Variable name → the path it came from. */
  variables: Record<string, string>;
  /** Names left as they were because they were already set and `override` was false. */
  kept: string[];
}

export interface ProvenanceClient {
  /** A secret's value, from the cache when fresh. */
  get(path: string, options?: { ttlSeconds?: number }): Promise<string>;
  /** A secret's value with its metadata (version, provider, cached, stale), always from the server. */
  getSecret(path: string): Promise<ResolvedSecret>;
  /** Many values in one request; fills the cache for later `get`s. */
  getMany(input: ManyInput): Promise<BatchResolveResult>;
  /** Resolves everything asked for in as few requests as possible and writes it to the environment; any failure writes nothing. */
  loadEnv(options: LoadEnvOptions): Promise<LoadedEnv>;
  /** Forgets one cached value, or all. */
  invalidate(path?: string): void;
  /**
   * Calls `onChange` for every secret created, edited or deleted under `prefix` (never with its
   * value), reconnecting by itself; a change also drops that path's cached value.
   */
  watch(prefix: string, onChange: (change: SecretChange) => void, options?: WatchOptions): Watch;
}

const RESOLVE = "/api/secrets/resolve";

export function createClient(options: ClientOptions): ProvenanceClient {
  const { request, openStream } = createTransport(options);
  const ttlMs = (options.cacheTtlSeconds ?? 60) * 1000;
  const cache = new ValueCache<string>((options.staleWhileRevalidateSeconds ?? 300) * 1000);

  const getSecret = (path: string) => request<ResolvedSecret>(`${RESOLVE}?path=${encodeURIComponent(path)}`);

  async function getMany(input: ManyInput): Promise<BatchResolveResult> {
    const result = await request<BatchResolveResult>(RESOLVE, { method: "POST", body: input });
    for (const [path, value] of Object.entries(result.values)) cache.set(path, value, ttlMs);
    return result;
  }

  return {
    get: (path, getOptions) => {
      const fresh = cache.fresh(path);
      if (fresh !== undefined) return Promise.resolve(fresh);
      const ttl = getOptions?.ttlSeconds !== undefined ? getOptions.ttlSeconds * 1000 : ttlMs;
      return cache.get(path, ttl, async () => (await getSecret(path)).value);
    },
    getSecret,
    getMany,
    async loadEnv(loadOptions) {
      const planned = await resolveForEnv(getMany, loadOptions);
      const env = loadOptions.env ?? processEnv();
      const override = loadOptions.override ?? true;
      const kept: string[] = [];
      for (const [name, { value }] of Object.entries(planned)) {
        if (!override && env[name] !== undefined) kept.push(name);
        else env[name] = value;
      }
      return { variables: Object.fromEntries(Object.entries(planned).map(([name, { path }]) => [name, path])), kept };
    },
    invalidate: (path) => cache.delete(path),
    watch: (prefix, onChange, watchOptions) =>
      followWatch(
        openStream,
        prefix,
        (change) => {
          cache.delete(change.secretPath);
          onChange(change);
        },
        watchOptions,
      ),
  };
}

/**
 * Resolves prefixes, paths and explicit names (one request per prefix, one for all the paths) and
 * names each value. Any failed path, or two paths that would get one name, throws before anything
 * is written: a program never starts with half its configuration.
 */
export async function resolveForEnv(
  getMany: (input: ManyInput) => Promise<BatchResolveResult>,
  options: Pick<LoadEnvOptions, "prefixes" | "paths" | "names">,
): Promise<Record<string, { path: string; value: string }>> {
  const named: Array<{ name: string; path: string }> = [];
  const values: Record<string, string> = {};
  const failures: string[] = [];
  const collect = (result: BatchResolveResult) => {
    Object.assign(values, result.values);
    for (const [path, failure] of Object.entries(result.errors)) failures.push(`${path}: ${failure.code}: ${failure.message}`);
  };

  for (const prefix of options.prefixes ?? []) {
    const result = await getMany({ prefix });
    collect(result);
    for (const path of Object.keys(result.values)) named.push({ name: envName(path, prefix), path });
  }
  const single = [...(options.paths ?? []), ...Object.values(options.names ?? {})];
  if (single.length > 0) collect(await getMany({ paths: [...new Set(single)] }));
  for (const path of options.paths ?? []) named.push({ name: envName(path), path });
  for (const [name, path] of Object.entries(options.names ?? {})) named.push({ name, path });

  if (failures.length > 0)
    throw new ProvenanceError("resolve_failed", `Could not resolve ${failures.length} path(s):\n${failures.join("\n")}`);

  const planned: Record<string, { path: string; value: string }> = {};
  for (const { name, path } of named) {
    if (!isPortableEnvName(name))
      throw new ProvenanceError(
        "bad_name",
        `${path} gives the variable name ${JSON.stringify(name)}, which is not a valid name; use --env NAME=${path}.`,
      );
    const earlier = planned[name];
    if (earlier && earlier.path !== path) {
      throw new ProvenanceError("name_clash", `${earlier.path} and ${path} both become ${name}; name one of them with --env NAME=path.`);
    }
    planned[name] = { path, value: values[path]! };
  }
  return planned;
}

/** process.env where there is one (Node, Bun, Deno's compatibility layer). */
function processEnv(): Record<string, string | undefined> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (!env) throw new ProvenanceError("bad_usage", "This runtime has no process.env: pass loadEnv({ env }).");
  return env;
}
