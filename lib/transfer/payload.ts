/**
 * What a bundle holds once decrypted (format version 1): every provider connection with its full
 * config (credentials included, in clear inside the encrypted bundle) and every secret with its
 * value when Provenance stores it.
 *
 *     {
 *       "exportedAt": "2026-01-01T00:00:00.000Z",
 *       "source": { "database": "sqlite" },
 *       "counts": { "connections": 1, "secrets": 2 },
 *       "connections": [{ "id", "name", "type", "description", "config": { ... }, "allowedProviderPaths",
 *                         "createdAt", "updatedAt" }],
 *       "secrets": [{ "id", "secretPath", "provider", "providerPath", "secretProviderId",
 *                     "providerConfig": { ... }, "description", "value", "createdAt", "updatedAt" }]
 *     }
 *
 * `secretProviderId` names a connection of the same bundle by its id. `value` is a string for a
 * secret stored in Provenance (provider "provenance") and null for an external one.
 *
 * Checking is strict and happens in two steps: `parsePayload` checks the shape (no unknown
 * members, the same text rules as the API), `payloadProblems` the rules across fields and against
 * the importing server's configuration (a connection's config as the API would accept it, a
 * secret's path syntax for its provider, references inside the bundle).
 */
import { z } from "zod";
import { isPlainObject, multiLine, singleLine } from "@/lib/validation/text";
import { PROVIDER_TYPES, providerDefinition } from "@/lib/providers/registry";
import type { UrlRuleOptions } from "@/lib/providers/url-rules";
import { validateConfig } from "@/lib/secret-providers/connection-schemas";
import { allowedProviderPathsShape } from "@/lib/secret-providers/provider-path-fence";
import { PROVENANCE_PROVIDER, providerConfigShape, secretPath, secretValue } from "@/lib/secrets/secret-schemas";
import { BundleError } from "./bundle-crypto";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "must be a row id");
const timestamp = z.iso.datetime({ message: "must be an ISO-8601 UTC timestamp" });
// Not z.record: that copies the object and a `__proto__` member would vanish instead of being refused.
const stringMap = z.custom<Record<string, string>>(
  (value) => isPlainObject(value) && Object.values(value).every((v) => typeof v === "string"),
  "must be an object of strings",
);

const connectionShape = z
  .object({
    id,
    name: singleLine("name", 100).min(1, "name is required"),
    type: z.enum(PROVIDER_TYPES),
    description: multiLine("description", 1000),
    config: stringMap,
    // Absent in bundles made before connections could be fenced.
    allowedProviderPaths: allowedProviderPathsShape.optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .strict();

const secretShape = z
  .object({
    id,
    secretPath,
    provider: z.enum([PROVENANCE_PROVIDER, ...PROVIDER_TYPES]),
    providerPath: singleLine("providerPath", 2048).min(1, "providerPath must not be empty").nullable(),
    secretProviderId: id.nullable(),
    providerConfig: providerConfigShape,
    description: multiLine("description", 1000),
    value: secretValue.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .strict();

const count = z.number().int().min(0);

export const payloadShape = z
  .object({
    exportedAt: timestamp,
    source: z.object({ database: z.enum(["sqlite", "postgresql"]) }).strict(),
    counts: z.object({ connections: count, secrets: count }).strict(),
    connections: z.array(connectionShape),
    secrets: z.array(secretShape),
  })
  .strict();

export type BundlePayload = z.infer<typeof payloadShape>;
export type BundleConnection = BundlePayload["connections"][number];
export type BundleSecret = BundlePayload["secrets"][number];

const MAX_LISTED = 20;

/** "first problem; second problem (and 3 more)": one readable sentence for a list of problems. */
export function summarize(problems: string[], max = MAX_LISTED): string {
  const shown = problems.slice(0, max).map((p) => `  - ${p}`);
  const more = problems.length - shown.length;
  return shown.join("\n") + (more > 0 ? `\n  … and ${more} more` : "");
}

function invalid(problems: string[]): BundleError {
  return new BundleError(
    "invalid_payload",
    `The bundle opened, but its contents are not valid, so nothing was imported:\n${summarize(problems)}`,
    { problems: problems.slice(0, MAX_LISTED) },
  );
}

function where(path: PropertyKey[], payload: unknown): string {
  const [list, index, ...rest] = path;
  if ((list === "connections" || list === "secrets") && typeof index === "number") {
    const item = isPlainObject(payload) && Array.isArray(payload[list]) ? (payload[list] as unknown[])[index] : undefined;
    const label = isPlainObject(item) ? (list === "connections" ? item.name : item.secretPath) : undefined;
    const name = typeof label === "string" ? ` (${JSON.stringify(label.slice(0, 100))})` : "";
    return `${list}[${index}]${name}${rest.length ? `.${rest.map(String).join(".")}` : ""}`;
  }
  return path.map(String).join(".") || "payload";
}

/** Checks the shape of a payload object: the parsed payload, or its problems. */
export function parsePayloadObject(raw: unknown): { ok: true; payload: BundlePayload } | { ok: false; problems: string[] } {
  const result = payloadShape.safeParse(raw);
  if (result.success) return { ok: true, payload: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) =>
      issue.code === "unrecognized_keys"
        ? `${where(issue.path, raw)}: unknown member${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`
        : `${where(issue.path, raw)}: ${issue.message}`,
    ),
  };
}

/** The decrypted JSON text, checked for shape. Throws BundleError("invalid_payload"). */
export function parsePayload(json: string): BundlePayload {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw invalid(["the decrypted contents are not JSON"]);
  }
  const parsed = parsePayloadObject(raw);
  if (!parsed.ok) throw invalid(parsed.problems);
  return parsed.payload;
}

/**
 * The rules across fields, within the bundle and against this server's URL rules. Returns the
 * problems (empty when the payload can be imported as it is).
 */
export function payloadProblems(payload: BundlePayload, rules: UrlRuleOptions): string[] {
  const problems: string[] = [];
  const label = (kind: "connections" | "secrets", index: number) => where([kind, index], payload);

  if (payload.counts.connections !== payload.connections.length || payload.counts.secrets !== payload.secrets.length) {
    problems.push("counts: do not match the connections and secrets the bundle holds");
  }

  const connectionsById = new Map<string, BundleConnection>();
  const names = new Set<string>();
  payload.connections.forEach((connection, index) => {
    if (connectionsById.has(connection.id)) problems.push(`${label("connections", index)}.id: appears twice in the bundle`);
    connectionsById.set(connection.id, connection);
    if (names.has(connection.name)) problems.push(`${label("connections", index)}.name: appears twice in the bundle`);
    names.add(connection.name);
    const checked = validateConfig(connection.type, connection.config, rules);
    if (!checked.ok) {
      for (const [field, message] of Object.entries(checked.fields)) problems.push(`${label("connections", index)}.${field}: ${message}`);
    }
  });

  const secretIds = new Set<string>();
  const paths = new Set<string>();
  payload.secrets.forEach((secret, index) => {
    const at = label("secrets", index);
    if (secretIds.has(secret.id)) problems.push(`${at}.id: appears twice in the bundle`);
    secretIds.add(secret.id);
    if (paths.has(secret.secretPath)) problems.push(`${at}.secretPath: appears twice in the bundle`);
    paths.add(secret.secretPath);

    if (secret.provider === PROVENANCE_PROVIDER) {
      if (secret.value === null) problems.push(`${at}.value: a secret stored in Provenance needs its value`);
      if (secret.providerPath !== null) problems.push(`${at}.providerPath: only external secrets have one`);
      if (secret.secretProviderId !== null) problems.push(`${at}.secretProviderId: only external secrets reference a connection`);
      return;
    }
    const definition = providerDefinition(secret.provider);
    if (secret.value !== null) problems.push(`${at}.value: an external secret has no value here; it lives in ${definition.name}`);
    if (secret.providerPath === null) problems.push(`${at}.providerPath: required for ${definition.name} (${definition.pathHelp})`);
    else {
      const problem = definition.checkPath(secret.providerPath);
      if (problem) problems.push(`${at}.providerPath: ${problem}`);
    }
    const connection = secret.secretProviderId === null ? undefined : connectionsById.get(secret.secretProviderId);
    if (!connection) problems.push(`${at}.secretProviderId: names no connection in the bundle`);
    else if (connection.type !== secret.provider) {
      problems.push(`${at}.secretProviderId: connection "${connection.name}" is ${connection.type}, not ${secret.provider}`);
    }
  });
  return problems;
}

/** parsePayload + payloadProblems, throwing one BundleError listing every problem. */
export function checkPayload(payload: BundlePayload, rules: UrlRuleOptions): void {
  const problems = payloadProblems(payload, rules);
  if (problems.length > 0) throw invalid(problems);
}
