"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sourceIp } from "@/lib/api/source-ip";
import { formStateFromError } from "@/lib/api/form-state";
import { textArgument } from "@/lib/api/server-action";
import { isPlainObject } from "@/lib/validation/text";
import type { FormState } from "@/lib/form-state";
import { completeSetup } from "@/lib/setup/setup-code";

/**
 * First run: there is no user yet, so this cannot go through runAction (which needs a session).
 * The one-time code from the server log is what authorises it; completeSetup checks it.
 */
export async function createFirstAdmin(input: { code?: unknown; email?: unknown; password?: unknown }): Promise<FormState> {
  try {
    const fields = isPlainObject(input) ? input : {};
    await completeSetup({
      code: textArgument(fields.code),
      email: textArgument(fields.email),
      password: textArgument(fields.password),
      sourceIp: sourceIp(await headers()),
    });
  } catch (error) {
    return formStateFromError(error);
  }
  redirect("/login?setup=done");
}
