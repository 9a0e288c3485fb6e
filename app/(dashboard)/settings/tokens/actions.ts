"use server";

import { revalidatePath } from "next/cache";
import { idArgument, runAction, type ActionResult } from "@/lib/api/server-action";
import { createToken, revokeToken, type TokenView } from "@/lib/tokens/manage-tokens";

/** Server actions for Settings → API tokens (admins only, like /api/tokens). */
export async function createTokenAction(input: unknown): Promise<ActionResult<{ token: string; view: TokenView }>> {
  const result = await runAction("createToken", (actor) => createToken({ actor, input }));
  if (result.ok) revalidatePath("/settings/tokens");
  return result;
}

export async function revokeTokenAction(id: string): Promise<ActionResult<TokenView>> {
  const result = await runAction("revokeToken", (actor) => revokeToken({ actor, id: idArgument(id) }));
  if (result.ok) revalidatePath("/settings/tokens");
  return result;
}
