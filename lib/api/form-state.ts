import { databaseAppError } from "@/lib/db/errors";
import { isAppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";
import type { FormState } from "@/lib/form-state";

/** Turns an error thrown by lib/ into form state, never exposing internal detail. */
export function formStateFromError(error: unknown): FormState {
  const appError = databaseAppError(error) ?? error;
  if (isAppError(appError)) {
    // A plain copy: field maps are made without a prototype (so `__proto__` can be a field name),
    // and React refuses to send such objects to the browser, losing the whole form state.
    const fields = Object.fromEntries(Object.entries((appError.extra.fields ?? {}) as Record<string, string>));
    return { ok: false, message: appError.message, fields };
  }
  log.error("server action failed", describeError(error));
  return { ok: false, message: "Something went wrong on the server; please try again.", fields: {} };
}
