import type { ErrorCode } from "@/lib/errors";
import { statusOf } from "@/lib/errors";
import { PERMISSIONS, type Access, type Operation } from "@/lib/auth/permissions";
import { ref } from "./schemas";

/**
 * One OpenAPI operation from what it is: who may call it, what it takes and answers. Every
 * operation gets an operationId, a tag, its least role (`x-minimum-role`, also in words), and
 * every status it can answer with the error codes behind each: those all operations of its kind
 * share (commonErrors) and its own.
 */
export type Schema = Record<string, unknown>;

export interface OperationSpec {
  /** The operationId; who may call it comes from the permission table under this name. */
  id: Operation;
  tag: Tag;
  summary: string;
  description: string;
  parameters?: Schema[];
  /** A JSON request body; `required: false` for a body that may be left out. */
  body?: { schema: Schema; required?: boolean };
  /** The success answers, by status. */
  ok: Record<string, Schema>;
  /** Error codes beyond those every operation of its kind can answer (see commonErrors). */
  errors?: ErrorCode[];
  /** Writes to the database: a full disk answers 507. */
  writes?: boolean;
}

export type Tag =
  "Health" | "Secret providers" | "Secrets" | "Resolve" | "Tokens" | "Keyless access" | "Monitoring" | "Change notifications";
export const TAGS: Array<{ name: Tag; description: string }> = [
  { name: "Health", description: "Liveness, readiness and where to start. No authentication." },
  {
    name: "Secret providers",
    description: "Connections to external secrets managers. Credentials are stored encrypted and answered masked.",
  },
  { name: "Secrets", description: "Secrets stored in Provenance or referencing an external manager: metadata only, never a value." },
  { name: "Resolve", description: "The values: one, many, or a stream of changes. Every read is audited." },
  { name: "Tokens", description: "API tokens for programs (admin). A token is shown once, when made." },
  {
    name: "Keyless access",
    description: "Trust policies (admin) and the exchange of an OIDC ID token for a short-lived, scoped API token.",
  },
  { name: "Monitoring", description: "Counters for Prometheus and similar scrapers (admin)." },
  {
    name: "Change notifications",
    description:
      "The managers' own change notifications, each authenticated by its source's signature: the secrets they name are refreshed at once.",
  },
];

const CODE_TEXT: Partial<Record<ErrorCode, string>> = {
  validation_error: "validation_error (with fields, keyed by dotted path into the body)",
  invalid_json: "invalid_json (the body is not JSON, or nested too deep)",
  unauthorized: "unauthorized (no credentials, or bad ones)",
  forbidden: "forbidden (the role or the token's scope is too small, or an upstream path outside the connection's allowedProviderPaths)",
  precondition_failed: "precondition_failed (If-Match named another version)",
  rate_limited: "rate_limited (see Retry-After)",
  database_unavailable: "database_unavailable (see Retry-After)",
  storage_full: "storage_full (the database's disk is full; nothing was written)",
  provider_error: "provider_error (the manager answered with an error; hint says what to change)",
  provider_timeout: "provider_timeout",
  provider_sdk_missing: "provider_sdk_missing (the manager's optional SDK is not installed)",
};

const retryAfter = { description: "Seconds to wait before trying again", schema: { type: "integer", minimum: 1 } };
const STATUS_HEADERS: Record<string, Schema> = {
  "401": {
    "WWW-Authenticate": { description: 'Bearer realm="provenance" (on requests that sent no session)', schema: { type: "string" } },
  },
  "429": { "Retry-After": retryAfter },
  "503": { "Retry-After": { ...retryAfter, description: "With database_unavailable: seconds to wait before trying again" } },
};

/** Codes every operation with this access and body can answer. */
function commonErrors(spec: OperationSpec, access: Access): ErrorCode[] {
  const codes: ErrorCode[] = ["internal_error"];
  if (access !== "public") codes.push("unauthorized", "database_unavailable");
  if (access !== "public" && access !== "viewer") codes.push("forbidden");
  if (spec.body) codes.push("invalid_json", "payload_too_large", "unsupported_media_type", "validation_error");
  if (spec.writes) codes.push("storage_full");
  return codes;
}

function errorResponses(codes: ErrorCode[]): Record<string, Schema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: list.map((code) => CODE_TEXT[code] ?? code).join("; "),
          ...(STATUS_HEADERS[String(status)] ? { headers: STATUS_HEADERS[String(status)] } : {}),
          content: { "application/json": { schema: errorSchemaFor(list) } },
        },
      ]),
  );
}

/** The Error schema, with `code` narrowed to the codes this status carries here. */
function errorSchemaFor(codes: ErrorCode[]): Schema {
  return { allOf: [ref("Error"), { type: "object", properties: { error: { type: "object", properties: { code: { enum: codes } } } } }] };
}

const ACCESS_TEXT: Record<Access, string> = {
  public: "No authentication.",
  viewer: "Any signed-in user or token.",
  editor: "Editor or admin (users and tokens); a path-scoped token only within its scope.",
  admin: "Admin only; a path-scoped token never.",
};

export function operation(spec: OperationSpec): Schema {
  const access = PERMISSIONS[spec.id];
  return {
    operationId: spec.id,
    tags: [spec.tag],
    summary: spec.summary,
    description: `${spec.description}\n\n**Who:** ${ACCESS_TEXT[access]}`,
    // Machine-readable for clients and for the suite's check that the routes enforce what this says.
    "x-minimum-role": access,
    ...(access === "public" ? { security: [] } : {}),
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.body
      ? { requestBody: { required: spec.body.required ?? true, content: { "application/json": { schema: spec.body.schema } } } }
      : {}),
    responses: { ...spec.ok, ...errorResponses([...commonErrors(spec, access), ...(spec.errors ?? [])]) },
  };
}

export const json = (description: string, schema: Schema, headers?: Schema) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema } },
});
export const etag = { ETag: { description: 'The version, quoted (e.g. "3"): send it back in If-Match', schema: { type: "string" } } };
export const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
export const ifMatch = {
  name: "If-Match",
  in: "header",
  required: false,
  description: "The ETag of the version being edited; a different current version answers 412 precondition_failed",
  schema: { type: "string" },
};
