import "server-only";
import type { Agent } from "node:http";
import type { AdapterContext, FetchedSecret, FetchSecretRequest, ProviderAdapter } from "../adapter";
import type { ProviderConfig } from "../definition";
import { callUpstream } from "../upstream/call-upstream";
import { ConnectionCache } from "../upstream/connection-cache";
import { CHECKING_CONNECTION, fetchingPath, providerError } from "../upstream/errors";
import { vaultDefinition } from "./definition";
import { cleanVaultPath, normalizeVaultPath, vaultValue, type KvVersion, type NormalizedVaultPath } from "./paths";
import { interpretVaultError, LOOKUP_SELF, MOUNTS_PREFIX } from "./upstream-errors";
import { vaultAgent, vaultGet } from "./vault-http";

export { normalizeVaultPath } from "./paths";

/** HashiCorp Vault over its plain HTTP API (no SDK). */
const PROVIDER = vaultDefinition.name;

interface KvMount {
  path: string;
  kvVersion: KvVersion;
}
/** kvVersion "auto": mounts learnt from Vault, per connection, so each mount is asked about once. */
const knownMounts = new ConnectionCache<KvMount[]>();
/** One keep-alive agent per connection (its lookup refuses metadata addresses). */
const agents = new ConnectionCache<Agent>((agent) => agent.destroy());

function agentFor(context: AdapterContext): Promise<Agent> {
  return agents.get(context.connectionKey, async () => vaultAgent(context.config, context.resolveHost));
}

/** Asks Vault which mount holds `path` and which KV version it runs. */
async function detectMount(config: ProviderConfig, agent: Agent, path: string, signal: AbortSignal): Promise<KvMount> {
  const body = (await vaultGet(config, agent, `${MOUNTS_PREFIX}${path}`, "", signal)) as {
    data?: { path?: unknown; type?: unknown; options?: { version?: unknown } | null };
  };
  const mountPath = typeof body.data?.path === "string" ? body.data.path.replace(/\/+$/, "") : "";
  if (!mountPath || !path.startsWith(`${mountPath}/`)) {
    throw providerError(PROVIDER, `malformed reply from mount detection for ${path}: no mount path`);
  }
  // Only a KV engine with options.version "2" is versioned; KV v1 and other engines read as written.
  const kvVersion: KvVersion = body.data?.type === "kv" && String(body.data.options?.version ?? "1") === "2" ? "2" : "1";
  return { path: mountPath, kvVersion };
}

async function normalizeForConnection(request: FetchSecretRequest, agent: Agent, signal: AbortSignal): Promise<NormalizedVaultPath> {
  const mode = request.config.kvVersion ?? "2";
  if (mode !== "auto") return normalizeVaultPath(request.path, mode);
  const clean = cleanVaultPath(request.path);
  const mounts = await knownMounts.get(request.connectionKey, async () => []);
  let mount = mounts.find((m) => clean.startsWith(`${m.path}/`));
  if (!mount) {
    mount = await detectMount(request.config, agent, clean, signal);
    mounts.push(mount);
  }
  return normalizeVaultPath(clean, mount.kvVersion, mount.path);
}

function versionQuery(normalized: NormalizedVaultPath, version: string | undefined): string {
  if (!version) return "";
  if (normalized.kvVersion === "1") {
    throw providerError(PROVIDER, `version ${version} was asked for, but ${normalized.apiPath} is on a KV v1 mount, which keeps no versions`);
  }
  if (!/^\d{1,10}$/.test(version)) throw providerError(PROVIDER, `version must be a KV v2 version number, not "${version.slice(0, 40)}"`);
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

export const vaultAdapter: ProviderAdapter = {
  async fetchSecret(request: FetchSecretRequest): Promise<FetchedSecret> {
    let normalized: NormalizedVaultPath | undefined;
    const agent = await agentFor(request);
    return callUpstream({
      provider: PROVIDER,
      doing: fetchingPath(request.path),
      timeoutMs: request.timeoutMs,
      run: async ({ signal }) => {
        normalized = await normalizeForConnection(request, agent, signal);
        const body = await vaultGet(request.config, agent, normalized.apiPath, versionQuery(normalized, request.version), signal);
        return readReply(body, normalized);
      },
      interpret: (error) => interpretVaultError(error, { config: request.config, normalized }),
    });
  },

  /** lookup-self needs no policy beyond Vault's default one, so it tests the token itself. */
  async checkConnection(context: AdapterContext): Promise<void> {
    const agent = await agentFor(context);
    await callUpstream({
      provider: PROVIDER,
      doing: CHECKING_CONNECTION,
      timeoutMs: context.timeoutMs,
      run: ({ signal }) => vaultGet(context.config, agent, LOOKUP_SELF, "", signal),
      interpret: (error) => interpretVaultError(error, { config: context.config }),
    });
  },

  forget(connectionId: string): void {
    knownMounts.forget(connectionId);
    agents.forget(connectionId);
  },
};
