"use server";

import { revalidatePath } from "next/cache";
import { idArgument, runAction, type ActionResult } from "@/lib/api/server-action";
import { createTrustPolicy, deleteTrustPolicy, type TrustPolicyView } from "@/lib/trust-policies/manage-trust-policies";

/** Server actions for Settings → Trust policies (admins only, like /api/trust-policies). */
export async function createTrustPolicyAction(input: unknown): Promise<ActionResult<TrustPolicyView>> {
  const result = await runAction("createTrustPolicy", (actor) => createTrustPolicy({ actor, input }));
  if (result.ok) revalidatePath("/settings/trust-policies");
  return result;
}

export async function deleteTrustPolicyAction(id: string): Promise<ActionResult<void>> {
  const result = await runAction("deleteTrustPolicy", (actor) => deleteTrustPolicy({ actor, id: idArgument(id) }));
  if (result.ok) revalidatePath("/settings/trust-policies");
  return result;
}
