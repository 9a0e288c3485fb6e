import { AppError } from "@/lib/errors";

/**
 * A notification whose authenticity could not be established: 401 with a message that says which
 * check failed, never repeating the token, key or signature that was sent.
 */
export function notAuthentic(reason: string): AppError {
  return new AppError("unauthorized", `Notification refused: ${reason}.`);
}

/** A notification that is authentic enough to read but not shaped as its source sends them: 400. */
export function malformed(field: string, message: string): AppError {
  return new AppError("validation_error", `The notification is not shaped as expected: ${message}.`, { fields: { [field]: message } });
}
