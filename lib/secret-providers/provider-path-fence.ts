import { z } from "zod";
import { isCleanText } from "@/lib/validation/text";
import { AppError } from "@/lib/errors";
import { cleanGcpPath } from "@/lib/providers/gcp-sm/path-syntax";
import { cleanVaultPathOrNull } from "@/lib/providers/vault/path-syntax";

/**
 * A connection's `allowedProviderPaths`: the upstream paths its secrets may read. Patterns are
 * `/`-separated segments; `*` matches any run of characters within one segment, and a final `**`
 * segment matches one or more further segments (`secret/payments/**`). No fence (null) means
 * any path the connection's credential can read.
 *
 * Paths AND patterns are brought to one spelling per provider type before they are compared, so
 * that a pattern cannot be walked around by writing the same upstream secret another way:
 * - vault: surrounding slashes dropped; with kvVersion 2 (the default) a `data/` segment right
 *   after the mount is dropped (`secret/data/x` and `secret/x` read the same secret). With
 *   kvVersion 1 or auto a path is compared as written: there `secret/data/x` may be another secret.
 * - gcp-sm: a short name becomes `projects/{projectId}/secrets/{name}`, and a `/versions/N` tail
 *   is dropped (a fence is about which secret, not which version). A project number and a project
 *   id are different spellings: a pattern names the form its paths use.
 * - azure-kv: lower case (Key Vault names are case-insensitive).
 * - aws-sm: compared as written; an ARN stays a whole ARN, so a name pattern never admits an ARN
 *   (which could name another account or region). Write ARN patterns to allow ARNs.
 * A path with an empty, `.` or `..` segment never falls inside a fence.
 * Pure: also used by the dashboard form.
 */
export const MAX_FENCE_PATTERNS = 100;
const MAX_FENCE_PATTERN_LENGTH = 512;

export const FENCE_HELP =
  "One pattern per line. * matches within one segment, a trailing /** any depth below, e.g. secret/payments/**. Empty: any path the connection can read.";

/** Why a pattern cannot be used, or null when it is fine. */
export function fencePatternProblem(pattern: string): string | null {
  const trimmed = pattern.trim().replace(/^\/+|\/+$/g, "");
  if (!trimmed) return "Must not be empty";
  if (trimmed.length > MAX_FENCE_PATTERN_LENGTH) return `Must be at most ${MAX_FENCE_PATTERN_LENGTH} characters`;
  if (!isCleanText(trimmed, false)) return "Must not contain control characters or invalid Unicode";
  const segments = trimmed.split("/");
  for (const [index, segment] of segments.entries()) {
    if (segment.trim() === "") return "Must not contain empty segments (//)";
    if (segment === "." || segment === "..") return "Must not contain . or .. segments";
    if (segment.includes("**") && (segment !== "**" || index !== segments.length - 1)) {
      return "** is allowed only as the last segment (e.g. secret/payments/**)";
    }
  }
  return null;
}

/** The request member: a list of patterns, or null to remove the fence. */
export const allowedProviderPathsShape = z
  .array(
    z.string({ message: "Must be a string" }).superRefine((value, ctx) => {
      const problem = fencePatternProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    { message: "Must be a list of path patterns, or null for any path" },
  )
  .min(1, "Must list at least one pattern; send null for any path")
  .max(MAX_FENCE_PATTERNS, `At most ${MAX_FENCE_PATTERNS} patterns`)
  .transform((patterns) => [...new Set(patterns.map((p) => p.trim().replace(/^\/+|\/+$/g, "")))])
  .nullable();

/** Stored form (JSON text or null) → the patterns, or null for no fence. */
export function parseStoredFence(stored: string | null | undefined): string[] | null {
  if (stored === null || stored === undefined) return null;
  const parsed: unknown = JSON.parse(stored);
  if (!Array.isArray(parsed)) return null;
  return parsed.filter((p): p is string => typeof p === "string");
}

export function storeFence(patterns: string[] | null): string | null {
  return patterns === null ? null : JSON.stringify(patterns);
}

/** The connection facts normalisation needs: its type and its non-sensitive config. */
export interface FencedConnection {
  type: string;
  config: Record<string, string>;
  allowedProviderPaths: string[] | null;
}

/** One spelling per upstream secret (see above). Patterns go through the same function. */
export function normalizeProviderPath(type: string, config: Record<string, string>, path: string): string {
  switch (type) {
    case "vault": {
      const clean = cleanVaultPathOrNull(path) ?? path.trim().replace(/^\/+|\/+$/g, "");
      if ((config.kvVersion ?? "2") !== "2") return clean;
      const [mount, second, ...rest] = clean.split("/");
      return second === "data" && rest.length > 0 ? [mount, ...rest].join("/") : clean;
    }
    case "gcp-sm": {
      const clean = cleanGcpPath(path);
      const withoutVersion = clean.replace(/^(projects\/[^/]+\/secrets\/[^/]+)\/versions\/[^/]+$/, "$1");
      return withoutVersion.includes("/") || !config.projectId ? withoutVersion : `projects/${config.projectId}/secrets/${withoutVersion}`;
    }
    case "azure-kv":
      return path.trim().toLowerCase();
    default:
      return path.trim();
  }
}

function segmentMatches(pattern: string, segment: string): boolean {
  if (!pattern.includes("*")) return pattern === segment;
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "s").test(segment);
}

/** Whether one normalised path falls inside one normalised pattern. */
export function patternMatches(pattern: string, path: string): boolean {
  const wanted = pattern.split("/");
  const actual = path.split("/");
  if (actual.some((s) => s === "" || s === "." || s === "..")) return false;
  const anyDepth = wanted[wanted.length - 1] === "**";
  const fixed = anyDepth ? wanted.slice(0, -1) : wanted;
  if (anyDepth ? actual.length <= fixed.length : actual.length !== fixed.length) return false;
  return fixed.every((p, i) => segmentMatches(p, actual[i]!));
}

/** Whether `path` (as a secret or a test names it) is inside the connection's fence. */
export function fenceAllows(connection: FencedConnection, path: string): boolean {
  if (connection.allowedProviderPaths === null) return true;
  const normalized = normalizeProviderPath(connection.type, connection.config, path);
  return connection.allowedProviderPaths.some((pattern) =>
    patternMatches(pattern === "**" ? pattern : normalizeProviderPath(connection.type, connection.config, pattern), normalized),
  );
}

/** A connection row as stored: plain config and fence as JSON text (no credentials needed). */
export function fencedConnection(row: { type: string; config: string; allowedProviderPaths: string | null }): FencedConnection {
  const parsed: unknown = JSON.parse(row.config);
  const config: Record<string, string> = {};
  if (parsed && typeof parsed === "object") {
    for (const [key, value] of Object.entries(parsed)) if (typeof value === "string") config[key] = value;
  }
  return { type: row.type, config, allowedProviderPaths: parseStoredFence(row.allowedProviderPaths) };
}

/**
 * 403 for every role when `path` is outside the connection's fence: on save, on test and on
 * resolve (so narrowing a fence takes effect for secrets saved before).
 */
export function requireInsideFence(
  row: { name: string; type: string; config: string; allowedProviderPaths: string | null },
  path: string,
): void {
  if (fenceAllows(fencedConnection(row), path)) return;
  throw new AppError(
    "forbidden",
    `Provider path ${path.slice(0, 200)} is outside the paths connection "${row.name}" allows (allowedProviderPaths).`,
  );
}
