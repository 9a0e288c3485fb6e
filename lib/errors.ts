/**
 * Typed application errors. Library code throws these; only the edge (route handler wrapper or
 * server action wrapper) turns them into HTTP responses or form state. Messages are written for
 * the person reading them and must never contain a secret value or a credential.
 */
export type ErrorCode =
  | "validation_error"
  | "invalid_json"
  | "payload_too_large"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "name_taken"
  | "path_taken"
  | "provider_in_use"
  | "precondition_failed"
  | "rate_limited"
  | "provider_error"
  | "provider_timeout"
  | "provider_sdk_missing"
  | "json_key_not_found"
  | "not_json"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "database_unavailable"
  | "storage_full"
  | "internal_error";

const STATUS: Record<ErrorCode, number> = {
  validation_error: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  name_taken: 409,
  path_taken: 409,
  provider_in_use: 409,
  precondition_failed: 412,
  rate_limited: 429,
  provider_error: 502,
  provider_timeout: 504,
  provider_sdk_missing: 503,
  json_key_not_found: 422,
  not_json: 422,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  database_unavailable: 503,
  // 507 Insufficient Storage: the request was fine; the server has no room to keep it.
  storage_full: 507,
  internal_error: 500,
};

/** The HTTP status an error code is answered with. */
export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra members of the error object, e.g. `fields` or `referencingSecrets`. */
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = STATUS[code];
    this.extra = extra;
  }

  toBody(): { error: { code: ErrorCode; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

/** 400 with per-field messages keyed by dotted path into the request body. */
export function validationError(fields: Record<string, string>, message?: string): AppError {
  return new AppError("validation_error", message ?? summarizeFields(fields), { fields });
}

/** "config.region: Region is required (and 2 more problems)" — the first problem, in words. */
function summarizeFields(fields: Record<string, string>): string {
  const entries = Object.entries(fields);
  const first = entries[0];
  if (!first) return "The request is not valid.";
  const more = entries.length - 1;
  return `${first[0]}: ${first[1]}${more > 0 ? ` (and ${more} more problem${more === 1 ? "" : "s"})` : ""}.`;
}

export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} was not found.`);
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
