"use server";

import { runAction, type ActionResult } from "@/lib/api/server-action";
import { currentSessionId } from "@/lib/auth/authenticate";
import { changeOwnPassword } from "@/lib/users/passwords";

/** Your account → change password: any signed-in user, for their own account; this session stays signed in. */
export async function changePasswordAction(input: unknown): Promise<ActionResult<null>> {
  return runAction(
    "changeOwnPassword",
    async (actor) => {
      await changeOwnPassword({ actor, keepSessionId: await currentSessionId(), input });
      return null;
    },
    "Your password is changed; every other session of your account has been signed out.",
  );
}
