/**
 * The shapes of the resolve endpoints' answers (CONTRACT.md, "Secrets" and "Conventions"). The
 * server's own types (lib/secrets/resolve/resolve-secrets.ts) are these, so the client and the API
 * cannot drift apart without the type check noticing.
 */

/** `GET /api/secrets/resolve?path=…`: the only answer that carries a value. */
export interface ResolvedSecret {
  secretPath: string;
  value: string;
  provider: string;
  version: string | null;
  cached: boolean;
  stale: boolean;
  fetchedAt: string;
}

/** Why one path of a batch did not resolve. */
export interface ResolveFailure {
  code: string;
  message: string;
}

/** `POST /api/secrets/resolve`: one failing path never fails the rest. */
export interface BatchResolveResult {
  values: Record<string, string>;
  errors: Record<string, ResolveFailure>;
}

/** Every error the API answers: `{"error": {"code", "message", ...extra}}`. */
export interface ErrorBody {
  error: { code: string; message: string; [extra: string]: unknown };
}
