"use server";

import { revalidatePath } from "next/cache";
import { idArgument, runAction, type ActionResult } from "@/lib/api/server-action";
import { isPlainObject } from "@/lib/validation/text";
import { createUser, updateUser, type UserView } from "@/lib/users/manage-users";
import { resetPassword } from "@/lib/users/passwords";

/** Server actions for Settings → Users (admins only). */
export async function createUserAction(input: unknown): Promise<ActionResult<UserView>> {
  const result = await runAction("manageUsers", (actor) => createUser({ actor, input }));
  if (result.ok) revalidatePath("/settings/users");
  return result;
}

/** Role and enabled/disabled changes; the last active admin cannot be demoted or disabled. */
export async function updateUserAction(id: string, input: { role?: string; disabled?: boolean }): Promise<ActionResult<UserView>> {
  const result = await runAction("manageUsers", async (actor) => {
    // Only role and disabled change here; anything that is not an object is refused by updateUser.
    const changes = isPlainObject(input)
      ? { ...(input.role !== undefined ? { role: input.role } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}) }
      : input;
    return updateUser({ actor, id: idArgument(id), input: changes });
  });
  if (result.ok) revalidatePath("/settings/users");
  return result;
}

/** Sets a user's password (e.g. after a leak): every session of that user ends; their API tokens stay. */
export async function resetPasswordAction(id: string, input: unknown): Promise<ActionResult<UserView>> {
  return runAction("manageUsers", (actor) => resetPassword({ actor, user: { id: idArgument(id) }, input }));
}
