import type { ServerResponse } from "node:http";
import { applyTransportFault, FaultQueue, sendJson, startHttpFake, type HttpFake } from "./http";

/**
 * HashiCorp Vault's HTTP API for KV v1 and v2 mounts: token auth (403 "permission denied" for an
 * unknown token or a path outside its policy), mount detection (sys/internal/ui/mounts) and
 * token lookup-self. Mounts may have several segments ("team/kv").
 */
interface StoredVersion {
  data: Record<string, unknown> | null;
  deletedAt?: string;
}

export interface VaultFake extends HttpFake {
  faults: FaultQueue;
  /** Writes a new version under `path` (mount included, no data/), e.g. secret/my-app/api-key. */
  putSecret(path: string, data: Record<string, unknown>): void;
  /** Soft-deletes one KV v2 version, as `vault kv delete -versions=N` does. */
  deleteVersion(path: string, version: number): void;
}

export interface VaultFakeOptions {
  /** Mount path → KV version. */
  mounts: Record<string, 1 | 2>;
  /** Token → path prefixes its policy may read ("" = everything). */
  tokens: Record<string, string[]>;
}

const V2_WRONG_PATH_WARNING =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

export async function startVaultFake(options: VaultFakeOptions): Promise<VaultFake> {
  const store = new Map<string, StoredVersion[]>(); // key: mount + "/" + rest (no data/)
  const faults = new FaultQueue();
  const mountOf = (path: string) =>
    Object.keys(options.mounts)
      .sort((a, b) => b.length - a.length)
      .find((mount) => path.startsWith(`${mount}/`));
  const errors = (res: ServerResponse, status: number, list: string[], extra: Record<string, unknown> = {}, headers = {}) =>
    sendJson(res, status, { errors: list, ...extra }, headers);

  const fake = await startHttpFake(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://vault");
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\//, ""));
    const allowed = options.tokens[String(req.headers["x-vault-token"] ?? "")];
    if (!allowed) return errors(res, 403, ["permission denied"]);

    const fault = faults.take();
    if (await applyTransportFault(fault, req, res)) return;
    if (fault?.status) {
      const headers = { ...fault.headers, ...(fault.retryAfter ? { "retry-after": fault.retryAfter } : {}) };
      return errors(res, fault.status, [fault.message ?? `fault ${fault.status}`], {}, headers);
    }

    if (path === "auth/token/lookup-self") return sendJson(res, 200, { data: { policies: ["default"], ttl: 3600 } });
    if (path.startsWith("sys/internal/ui/mounts/")) {
      const mount = mountOf(path.slice("sys/internal/ui/mounts/".length));
      if (!mount) return errors(res, 400, ["no mount for this path"]);
      return sendJson(res, 200, { data: { path: `${mount}/`, type: "kv", options: { version: String(options.mounts[mount]) } } });
    }

    const mount = mountOf(path);
    if (!mount || !allowed.some((prefix) => path.startsWith(prefix))) return errors(res, 403, ["permission denied"]);
    const rest = path.slice(mount.length + 1);
    if (options.mounts[mount] === 1) {
      const latest = store.get(`${mount}/${rest}`)?.at(-1);
      return latest?.data ? sendJson(res, 200, { data: latest.data }) : errors(res, 404, []);
    }
    if (!rest.startsWith("data/")) return errors(res, 404, [], { warnings: [V2_WRONG_PATH_WARNING] });
    const versions = store.get(`${mount}/${rest.slice("data/".length)}`);
    const number = Number(url.searchParams.get("version") ?? versions?.length ?? 0);
    const version = versions?.[number - 1];
    if (!version) return errors(res, 404, []);
    const metadata = { version: number, created_time: "2026-01-01T00:00:00Z", deletion_time: version.deletedAt ?? "", destroyed: false };
    return sendJson(res, version.data ? 200 : 404, { data: { data: version.data, metadata } });
  });

  return {
    ...fake,
    faults,
    putSecret(path, data) {
      const versions = store.get(path) ?? [];
      versions.push({ data });
      store.set(path, versions);
    },
    deleteVersion(path, version) {
      const stored = store.get(path)?.[version - 1];
      if (stored) Object.assign(stored, { data: null, deletedAt: "2026-02-01T00:00:00Z" });
    },
  };
}
