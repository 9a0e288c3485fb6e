"use server";

import { revalidatePath } from "next/cache";
import { idArgument, runAction, type ActionResult } from "@/lib/api/server-action";
import { isAppError } from "@/lib/errors";
import type { ConnectionView } from "@/lib/secret-providers/connection-view";
import { testConnection, type TestResult } from "@/lib/secret-providers/test-connection";
import { createConnection, deleteConnection, updateConnection } from "@/lib/secret-providers/write-connections";

/**
 * Server actions for Settings → Secret providers. Each one is a thin call into the same lib/
 * functions as /api/secret-providers, through runAction (session, role, errors → form state).
 */
const LIST = "/settings/secret-providers";

export async function createConnectionAction(input: unknown): Promise<ActionResult<{ id: string; name: string }>> {
  return runAction("createConnection", async (actor) => {
    const connection = await createConnection({ actor, input });
    return { id: connection.id, name: connection.name };
  });
}

export async function updateConnectionAction(id: string, input: unknown): Promise<ActionResult<ConnectionView>> {
  const result = await runAction("updateConnection", (actor) => updateConnection({ actor, id: idArgument(id), input }));
  if (result.ok) revalidatePath(LIST, "layout");
  return result;
}

export type DeleteConnectionOutcome =
  { deleted: true } | { deleted: false; referencingSecrets: number; secrets: Array<{ id: string; secretPath: string }> };

/** Deleting is refused while secrets reference the connection; that answer is data, not an error. */
export async function deleteConnectionAction(id: string): Promise<ActionResult<DeleteConnectionOutcome>> {
  return runAction("deleteConnection", async (actor): Promise<DeleteConnectionOutcome> => {
    try {
      await deleteConnection({ actor, id: idArgument(id) });
      return { deleted: true };
    } catch (error) {
      if (isAppError(error) && error.code === "provider_in_use") {
        return {
          deleted: false,
          referencingSecrets: Number(error.extra.referencingSecrets ?? 0),
          secrets: (error.extra.secrets ?? []) as Array<{ id: string; secretPath: string }>,
        };
      }
      throw error;
    }
  });
}

export async function testConnectionAction(id: string, input: { providerPath?: string | null }): Promise<ActionResult<TestResult>> {
  const result = await runAction("testConnection", (actor) => testConnection({ actor, id: idArgument(id), input }));
  if (result.ok) revalidatePath(LIST, "layout");
  return result;
}
