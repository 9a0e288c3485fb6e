/**
 * What every client call throws: the API's error code and message (never a value or a token), the
 * HTTP status when there was an answer, and the server's extra members (e.g. `retryAfterSeconds`).
 * Without an answer (the server could not be reached) the code is `unreachable`.
 */
export class ProvenanceError extends Error {
  readonly code: string;
  readonly status: number | null;
  readonly extra: Record<string, unknown>;

  constructor(code: string, message: string, status: number | null = null, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = "ProvenanceError";
    this.code = code;
    this.status = status;
    this.extra = extra;
  }
}

export function isProvenanceError(error: unknown): error is ProvenanceError {
  return error instanceof ProvenanceError;
}
