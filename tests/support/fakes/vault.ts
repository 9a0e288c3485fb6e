import type { ServerResponse } from "node:http";
import { applyTransportFault, FaultQueue, sendJson, startHttpFake, type HttpFake } from "./http";

/**
 * HashiCorp Vault's HTTP API for KV v1 and v2 mounts (v2 with `<mount>/metadata/<path>`): token auth (403 "permission denied" for an
 * unknown token or a path outside its policy), mount detection (sys/internal/ui/mounts) and
 * token lookup-self. Mounts may have several segments ("team/kv").
 *
 * Like a real server it also has mounts that are not KV engines, and answers reads on them the
 * way those engines do: auth/token/lookup-self returns the caller's own token as `id`,
 * cubbyhole/ and engines given in `otherMounts` (e.g. database/, pki/) return live-looking
 * credentials. Mount detection reports each mount's real type.
 */
interface StoredVersion {
  data: Record<string, unknown> | null;
  deletedAt?: string;
}

export interface VaultFake extends HttpFake {
  faults: FaultQueue;
  /** Revokes every token a sign-in issued, as `vault token revoke` would. */
  revokeIssuedTokens(): void;
  /** Faults for mount detection (sys/internal/ui/mounts) only, which `faults` leaves alone. */
  mountFaults: FaultQueue;
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
  /** Mount path → engine type, for mounts that are not KV, e.g. { database: "database", pki: "pki" }. */
  otherMounts?: Record<string, string>;
  /** AppRole sign-in (POST auth/<mount>/login {role_id, secret_id}), by role_id. */
  approles?: Record<string, VaultLoginRole & { secretId: string; mount?: string }>;
  /** JWT and Kubernetes sign-in (POST auth/<mount>/login {role, jwt}), keyed "<mount>/<role>", e.g. "kubernetes/app". */
  jwtRoles?: Record<string, VaultLoginRole & { jwt: string }>;
}

/** What a signed-in token may read and how long it lives. */
export interface VaultLoginRole {
  policy: string[];
  ttlSeconds?: number;
  /** Renewals never take the token past this age. */
  maxTtlSeconds?: number;
  renewable?: boolean;
}

interface IssuedToken {
  policy: string[];
  ttlMs: number;
  expiresAt: number;
  maxExpiresAt: number;
  renewable: boolean;
}

/** The mounts every Vault server has, none of them KV. */
const BUILT_IN_MOUNTS: Record<string, string> = { "auth/token": "token", sys: "system", cubbyhole: "cubbyhole", identity: "identity" };

const V2_WRONG_PATH_WARNING =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

export async function startVaultFake(options: VaultFakeOptions): Promise<VaultFake> {
  const store = new Map<string, StoredVersion[]>(); // key: mount + "/" + rest (no data/)
  const faults = new FaultQueue();
  const mountFaults = new FaultQueue();
  const otherMounts = { ...BUILT_IN_MOUNTS, ...options.otherMounts };
  const mountOf = (path: string) =>
    [...Object.keys(options.mounts), ...Object.keys(otherMounts)]
      .sort((a, b) => b.length - a.length)
      .find((mount) => path.startsWith(`${mount}/`));
  const typeOf = (mount: string) => otherMounts[mount] ?? "kv";
  const errors = (res: ServerResponse, status: number, list: string[], extra: Record<string, unknown> = {}, headers = {}) =>
    sendJson(res, status, { errors: list, ...extra }, headers);

  const issued = new Map<string, IssuedToken>();
  let issuedCount = 0;
  const issue = (role: VaultLoginRole) => {
    const token = `hvs.issued-${++issuedCount}-${Math.random().toString(36).slice(2)}`;
    const ttlMs = (role.ttlSeconds ?? 3600) * 1000;
    const now = Date.now();
    issued.set(token, {
      policy: role.policy,
      ttlMs,
      expiresAt: now + ttlMs,
      maxExpiresAt: now + (role.maxTtlSeconds ?? 86_400) * 1000,
      renewable: role.renewable ?? true,
    });
    return { client_token: token, lease_duration: Math.round(ttlMs / 1000), renewable: role.renewable ?? true, policies: ["default"] };
  };
  const policyOf = (token: string): string[] | undefined => {
    const session = issued.get(token);
    if (session) return Date.now() < session.expiresAt ? session.policy : undefined;
    return options.tokens[token];
  };

  const fake = await startHttpFake(async (req, res, recorded) => {
    const url = new URL(req.url ?? "/", "http://vault");
    const login = /^\/v1\/auth\/(.+)\/login$/.exec(url.pathname);
    if (login && req.method === "POST") {
      let body: { role_id?: unknown; secret_id?: unknown; role?: unknown; jwt?: unknown } = {};
      try {
        body = JSON.parse(recorded.body || "{}") as typeof body;
      } catch {
        return errors(res, 400, ["failed to parse JSON input"]);
      }
      const mount = login[1]!;
      if (typeof body.role_id === "string") {
        const role = options.approles?.[body.role_id];
        if (!role || (role.mount ?? "approle") !== mount || role.secretId !== body.secret_id)
          return errors(res, 400, ["invalid role or secret ID"]);
        return sendJson(res, 200, { auth: issue(role) });
      }
      const role = options.jwtRoles?.[`${mount}/${String(body.role)}`];
      if (!role) return errors(res, 400, [`role "${String(body.role)}" could not be found`]);
      if (role.jwt !== body.jwt) return errors(res, 403, ["permission denied"]);
      return sendJson(res, 200, { auth: issue(role) });
    }
    if (url.pathname === "/v1/auth/token/renew-self" && req.method === "POST") {
      const token = String(req.headers["x-vault-token"] ?? "");
      const session = issued.get(token);
      if (!session || Date.now() >= session.expiresAt) return errors(res, 403, ["permission denied"]);
      if (!session.renewable) return errors(res, 400, ["lease is not renewable"]);
      session.expiresAt = Math.min(Date.now() + session.ttlMs, session.maxExpiresAt);
      return sendJson(res, 200, {
        auth: { client_token: token, lease_duration: Math.max(0, Math.round((session.expiresAt - Date.now()) / 1000)), renewable: true },
      });
    }
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\//, ""));
    const allowed = policyOf(String(req.headers["x-vault-token"] ?? ""));
    if (!allowed) return errors(res, 403, ["permission denied"]);

    const detecting = path.startsWith("sys/internal/ui/mounts/");
    const fault = (detecting ? mountFaults : faults).take();
    if (await applyTransportFault(fault, req, res)) return;
    if (fault?.status) {
      const headers = { ...fault.headers, ...(fault.retryAfter ? { "retry-after": fault.retryAfter } : {}) };
      return errors(res, fault.status, [fault.message ?? `fault ${fault.status}`], {}, headers);
    }

    const token = String(req.headers["x-vault-token"]);
    if (path === "auth/token/lookup-self") return sendJson(res, 200, { data: { id: token, policies: ["default"], ttl: 3600 } });
    if (detecting) {
      const mount = mountOf(path.slice("sys/internal/ui/mounts/".length));
      if (!mount) return errors(res, 400, ["no mount for this path"]);
      const type = typeOf(mount);
      return sendJson(res, 200, {
        data: { path: `${mount}/`, type, options: type === "kv" ? { version: String(options.mounts[mount]) } : null },
      });
    }

    const mount = mountOf(path);
    if (!mount || !allowed.some((prefix) => path.startsWith(prefix))) return errors(res, 403, ["permission denied"]);
    if (typeOf(mount) !== "kv") {
      // What a non-KV engine hands out: the caller's token in cubbyhole-like places, live credentials elsewhere.
      return sendJson(res, 200, { data: { id: token, username: `v-${typeOf(mount)}-user`, password: `live-${typeOf(mount)}-credential` } });
    }
    const rest = path.slice(mount.length + 1);
    if (options.mounts[mount] === 1) {
      const latest = store.get(`${mount}/${rest}`)?.at(-1);
      return latest?.data ? sendJson(res, 200, { data: latest.data }) : errors(res, 404, []);
    }
    if (rest.startsWith("metadata/")) return sendMetadata(res, `${mount}/${rest.slice("metadata/".length)}`);
    if (!rest.startsWith("data/")) return errors(res, 404, [], { warnings: [V2_WRONG_PATH_WARNING] });
    const versions = store.get(`${mount}/${rest.slice("data/".length)}`);
    const number = Number(url.searchParams.get("version") ?? versions?.length ?? 0);
    const version = versions?.[number - 1];
    if (!version) return errors(res, 404, []);
    const metadata = { version: number, created_time: "2026-01-01T00:00:00Z", deletion_time: version.deletedAt ?? "", destroyed: false };
    return sendJson(res, version.data ? 200 : 404, { data: { data: version.data, metadata } });
  });

  /** KV v2 `<mount>/metadata/<path>`: every version's times and the current one, never data. */
  function sendMetadata(res: ServerResponse, key: string): void {
    const versions = store.get(key);
    if (!versions) return errors(res, 404, []);
    const created = "2026-01-01T00:00:00Z";
    sendJson(res, 200, {
      data: {
        cas_required: false,
        created_time: created,
        current_version: versions.length,
        custom_metadata: null,
        delete_version_after: "0s",
        max_versions: 0,
        oldest_version: 1,
        updated_time: created,
        versions: Object.fromEntries(
          versions.map((v, i) => [String(i + 1), { created_time: created, deletion_time: v.deletedAt ?? "", destroyed: false }]),
        ),
      },
    });
  }

  return {
    ...fake,
    faults,
    mountFaults,
    revokeIssuedTokens() {
      issued.clear();
    },
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
