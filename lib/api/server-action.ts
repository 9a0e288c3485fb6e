import "server-only";
import { headers } from "next/headers";
import type { Actor } from "@/lib/auth/actor";
import { sessionActor } from "@/lib/auth/authenticate";
import { can, minimumRole, type GuardedOperation } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { looksLikeId } from "@/lib/ids";
import { checkSameOriginWrite } from "./same-origin";
import { sourceIp } from "./source-ip";
import { formStateFromError } from "./form-state";

/** What a server action returns to its form: data on success, a message and field errors otherwise. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message: string | null; fields: Record<string, never> }
  | { ok: false; data?: undefined; message: string | null; fields: Record<string, string> };

/**
 * The server-action twin of apiRoute: the signed-in user, the minimum role, and errors turned into
 * form state, so actions and route handlers enforce the same rules through the same lib/ code.
 * Next itself refuses an action whose Origin names another host, but lets one without Origin
 * through and ignores Sec-Fetch-Site; the route handlers' same-origin rule closes both gaps.
 */
export async function runAction<T>(
  operation: GuardedOperation,
  action: (actor: Actor) => Promise<T>,
  successMessage?: string,
): Promise<ActionResult<T>> {
  try {
    const requestHeaders = await headers();
    checkSameOriginWrite(requestHeaders);
    const actor = await sessionActor(sourceIp(requestHeaders));
    if (!actor) throw new AppError("unauthorized", "Your session has ended; sign in again.");
    if (!can(actor.role, operation))
      throw new AppError("forbidden", `This needs the ${minimumRole(operation)} role; you have ${actor.role}.`);
    const data = await action(actor);
    return { ok: true, data, message: successMessage ?? null, fields: {} };
  } catch (error) {
    const state = formStateFromError(error);
    return { ok: false, message: state.message, fields: state.fields };
  }
}

/**
 * An action's id or path argument as sent by the browser: the forms send strings, anything else
 * (an object whose toString throws, a number) names nothing and becomes "", which lib/ answers
 * with not_found or validation_error like any unknown id.
 */
export function textArgument(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** An id argument: anything that could not be one of our ids (see looksLikeId) becomes "", which names nothing. */
export function idArgument(value: unknown): string {
  const id = textArgument(value);
  return looksLikeId(id) ? id : "";
}
