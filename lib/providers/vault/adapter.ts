import "server-only";
import { processShared } from "@/lib/process-shared";
import type { Agent } from "node:http";
import type { AdapterContext, FetchedSecret, FetchSecretRequest, ProviderAdapter, UpstreamVersion } from "../adapter";
import { callUpstream } from "../upstream/call-upstream";
import { ConnectionCache } from "../upstream/connection-cache";
import { CHECKING_CONNECTION, fetchingPath, providerError } from "../upstream/errors";
import { vaultDefinition } from "./definition";
import { cleanVaultPath, normalizeVaultPath, NOT_KV_MOUNT, vaultValue, type KvVersion, type NormalizedVaultPath } from "./paths";
import { interpretVaultError, LOOKUP_SELF, MOUNTS_PREFIX } from "./upstream-errors";
import { vaultAgent, VaultHttpError, vaultRequest } from "./vault-http";
import { authMethodOf, dropStaleSession, forgetSessions, signInFresh, vaultTokenFor } from "./vault-login";

export { normalizeVaultPath } from "./paths";

/** HashiCorp Vault over its plain HTTP API (no SDK). */
const PROVIDER = vaultDefinition.name;

/** A mount as Vault describes it: its path (no trailing slash), engine type and, for KV, version. */
interface KnownMount {
  path: string;
  type: string;
  kvVersion: KvVersion;
}
/** Mounts learnt from Vault, per connection, so each mount is asked about once. */
const knownMounts = processShared("vault.knownMounts", () => new ConnectionCache<ConnectionMounts>());

interface ConnectionMounts {
  known: KnownMount[];
  /** Detections under way: a path whose mount is not known yet waits for them before asking itself. */
  detecting: Set<Promise<unknown>>;
}
/** The engine types that hold static key/value secrets ("generic" is KV v1's old name). */
const KV_ENGINES = new Set(["kv", "generic"]);
/** One keep-alive agent per connection (its lookup refuses metadata addresses). */
const agents = processShared("vault.agents", () => new ConnectionCache<Agent>((agent) => agent.destroy()));

function agentFor(context: AdapterContext): Promise<Agent> {
  return agents.get(context.connectionKey, async () => vaultAgent(context.config, context.resolveHost));
}

/** Asks Vault which mount holds `path`, which engine it runs and, for KV, which version. */
async function detectMount(context: AdapterContext, agent: Agent, path: string, signal: AbortSignal): Promise<KnownMount> {
  const token = await vaultTokenFor(context, agent, signal);
  const body = (await vaultRequest({ config: context.config, agent, apiPath: `${MOUNTS_PREFIX}${path}`, token, signal })) as {
    data?: { path?: unknown; type?: unknown; options?: { version?: unknown } | null };
  };
  const mountPath = typeof body.data?.path === "string" ? body.data.path.replace(/\/+$/, "") : "";
  if (!mountPath || !path.startsWith(`${mountPath}/`)) {
    throw providerError(PROVIDER, `malformed reply from mount detection for ${path}: no mount path`);
  }
  const type = typeof body.data?.type === "string" ? body.data.type : "";
  // Only a KV engine with options.version "2" is versioned.
  const kvVersion: KvVersion = type === "kv" && String(body.data?.options?.version ?? "1") === "2" ? "2" : "1";
  return { path: mountPath, type, kvVersion };
}

/**
 * The mount that serves `path`, from what this connection has learnt or else from Vault. A path
 * is only ever read once Vault has said it lies on a KV engine: an auth method, a database or PKI
 * engine, cubbyhole or sys would hand out the connection's own token or live credentials. When
 * Vault will not say (403, an error), nothing is read.
 */
async function kvMountOf(request: AdapterContext, agent: Agent, path: string, signal: AbortSignal): Promise<KnownMount> {
  const mounts = await knownMounts.get(request.connectionKey, async () => ({ known: [], detecting: new Set() }));
  const find = () => mounts.known.filter((m) => path.startsWith(`${m.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
  let mount = find();
  // A batch's first reads on a new connection would each ask the same question: one asks, the
  // others wait for its answer (whatever it is) and ask only if it did not cover their path.
  if (!mount && mounts.detecting.size > 0) {
    await Promise.allSettled([...mounts.detecting]);
    mount = find();
  }
  if (!mount) {
    const detection = detectMount(request, agent, path, signal);
    mounts.detecting.add(detection);
    try {
      mount = await detection;
    } finally {
      mounts.detecting.delete(detection);
    }
    mounts.known.push(mount);
  }
  if (!KV_ENGINES.has(mount.type)) {
    throw providerError(
      PROVIDER,
      `${path} is on the mount ${mount.path}/, a ${mount.type.slice(0, 40) || "non-KV"} engine; Vault connections read KV secrets only`,
      { upstreamCode: NOT_KV_MOUNT, hint: "Point the secret at a path on a KV (v1 or v2) secrets engine." },
    );
  }
  return mount;
}

/**
 * kvVersion "auto": the mount's own version decides how the path is read. "1" and "2": the path
 * is read as that version says, and the mount of the path actually requested must be KV.
 */
async function normalizeForConnection(
  request: AdapterContext & { path: string },
  agent: Agent,
  signal: AbortSignal,
): Promise<NormalizedVaultPath> {
  const mode = request.config.kvVersion ?? "2";
  if (mode !== "auto") {
    const normalized = normalizeVaultPath(request.path, mode);
    await kvMountOf(request, agent, normalized.apiPath, signal);
    return normalized;
  }
  const clean = cleanVaultPath(request.path);
  const mount = await kvMountOf(request, agent, clean, signal);
  return normalizeVaultPath(clean, mount.kvVersion, mount.path);
}

/** Checked before anything is sent: a version is a KV v2 version number. */
function checkVersionSyntax(version: string | undefined): void {
  if (version && !/^\d{1,10}$/.test(version))
    throw providerError(PROVIDER, `version must be a KV v2 version number, not "${version.slice(0, 40)}"`);
}

function versionQuery(normalized: NormalizedVaultPath, version: string | undefined): string {
  if (!version) return "";
  if (normalized.kvVersion === "1") {
    throw providerError(
      PROVIDER,
      `version ${version} was asked for, but ${normalized.apiPath} is on a KV v1 mount, which keeps no versions`,
    );
  }
  return `?version=${version}`;
}

/** KV v2: {data: {data: {...}, metadata: {version}}}; KV v1: {data: {...}}. */
function readReply(body: unknown, normalized: NormalizedVaultPath): FetchedSecret {
  const data = (body as { data?: unknown }).data;
  const malformed = () => providerError(PROVIDER, `malformed reply for ${normalized.apiPath}: no secret data in it`);
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw malformed();
  if (normalized.kvVersion === "1") {
    const fields = data as Record<string, unknown>;
    return { value: vaultValue(fields), fields, version: null };
  }
  const { data: fields, metadata } = data as { data?: unknown; metadata?: { version?: unknown } };
  if (fields === null) {
    throw providerError(PROVIDER, `version ${String(metadata?.version ?? "?")} of ${normalized.apiPath} is deleted or destroyed`);
  }
  if (typeof fields !== "object" || fields === undefined || Array.isArray(fields)) throw malformed();
  const version = typeof metadata?.version === "number" ? String(metadata.version) : null;
  return { value: vaultValue(fields as Record<string, unknown>), fields: fields as Record<string, unknown>, version };
}

/**
 * When a secret is saved: asks which engine serves `request.path` (this connection's learnt
 * mounts, else Vault), exactly as a read would, and reads nothing. Throws the read's NOT_KV_MOUNT
 * error when Vault reports another engine; any other failure means Vault could not say.
 */
export async function checkVaultKvMount(request: AdapterContext & { path: string }): Promise<void> {
  const agent = await agentFor(request);
  await callUpstream({
    provider: PROVIDER,
    doing: `detecting the mount of ${request.path}`,
    timeoutMs: request.timeoutMs,
    connectionKey: request.connectionKey,
    maxAttempts: 1,
    run: ({ signal }) => normalizeForConnection(request, agent, signal),
    interpret: (error) => interpretVaultError(error, { config: request.config }),
  });
}

export const vaultAdapter: ProviderAdapter = {
  async fetchSecret(request: FetchSecretRequest): Promise<FetchedSecret> {
    checkVersionSyntax(request.version);
    if (request.config.kvVersion !== "auto") normalizeVaultPath(request.path, request.config.kvVersion ?? "2"); // a bad path is refused before anything is sent
    let normalized: NormalizedVaultPath | undefined;
    const agent = await agentFor(request);
    const read = async (signal: AbortSignal) => {
      normalized = await normalizeForConnection(request, agent, signal);
      const token = await vaultTokenFor(request, agent, signal);
      const body = await vaultRequest({
        config: request.config,
        agent,
        apiPath: normalized.apiPath,
        query: versionQuery(normalized, request.version),
        token,
        signal,
      });
      return readReply(body, normalized);
    };
    return callUpstream({
      provider: PROVIDER,
      doing: fetchingPath(request.path),
      timeoutMs: request.timeoutMs,
      connectionKey: request.connectionKey,
      maxAttempts: request.maxAttempts,
      run: async ({ signal }) => {
        try {
          return await read(signal);
        } catch (error) {
          // A signed-in session Vault no longer honours (revoked, or expired early): sign in once more.
          if (error instanceof VaultHttpError && error.status === 403 && dropStaleSession(request)) return read(signal);
          throw error;
        }
      },
      interpret: (error) => interpretVaultError(error, { config: request.config, normalized }),
    });
  },

  /**
   * KV v2: `<mount>/metadata/<path>`'s current_version, which reads no value. KV v1 keeps no
   * metadata, and a policy may grant `read` on data/ but not on metadata/ (403): then the value is
   * read, as a resolve would, and handed on for its fingerprint. A pinned version never changes.
   */
  async currentVersion(request: FetchSecretRequest): Promise<UpstreamVersion | null> {
    if (request.version) return null;
    const readValue = async () => ({ version: null, fetched: await vaultAdapter.fetchSecret(request) });
    if (request.config.kvVersion !== "auto") normalizeVaultPath(request.path, request.config.kvVersion ?? "2");
    const agent = await agentFor(request);
    const metadata = await callUpstream({
      provider: PROVIDER,
      doing: `checking the version of ${request.path}`,
      timeoutMs: request.timeoutMs,
      connectionKey: request.connectionKey,
      maxAttempts: request.maxAttempts,
      run: async ({ signal }) => {
        const normalized = await normalizeForConnection(request, agent, signal);
        if (normalized.kvVersion === "1") return null;
        const mount = await kvMountOf(request, agent, normalized.apiPath, signal);
        const dataPrefix = `${mount.path}/data/`;
        if (!normalized.apiPath.startsWith(dataPrefix)) return null;
        const apiPath = `${mount.path}/metadata/${normalized.apiPath.slice(dataPrefix.length)}`;
        const token = await vaultTokenFor(request, agent, signal);
        try {
          return { body: await vaultRequest({ config: request.config, agent, apiPath, token, signal }), apiPath };
        } catch (error) {
          if (error instanceof VaultHttpError && error.status === 403) return null;
          throw error;
        }
      },
      interpret: (error) => interpretVaultError(error, { config: request.config }),
    });
    if (!metadata) return readValue();
    const current = (metadata.body as { data?: { current_version?: unknown } }).data?.current_version;
    if (typeof current !== "number") throw providerError(PROVIDER, `malformed reply for ${metadata.apiPath}: no current_version`);
    return { version: String(current) };
  },

  /**
   * lookup-self needs no policy beyond Vault's default one, so it tests the token itself; with an
   * auth method, after signing in afresh, which tests the credentials behind it.
   */
  async checkConnection(context: AdapterContext): Promise<void> {
    const agent = await agentFor(context);
    await callUpstream({
      provider: PROVIDER,
      doing: CHECKING_CONNECTION,
      timeoutMs: context.timeoutMs,
      connectionKey: context.connectionKey,
      maxAttempts: authMethodOf(context.config) === "token" ? undefined : 1,
      run: async ({ signal }) => {
        const token = authMethodOf(context.config) === "token" ? (context.config.token ?? "") : await signInFresh(context, agent, signal);
        return vaultRequest({ config: context.config, agent, apiPath: LOOKUP_SELF, token, signal });
      },
      interpret: (error) => interpretVaultError(error, { config: context.config }),
    });
  },

  forget(connectionId: string): void {
    forgetSessions(connectionId);
    knownMounts.forget(connectionId);
    agents.forget(connectionId);
  },
};
