"use server";

import { revalidatePath } from "next/cache";
import { idArgument, runAction, textArgument, type ActionResult } from "@/lib/api/server-action";
import { importDotenv, previewDotenvImport, type DotenvImportResult, type DotenvPreview } from "@/lib/secrets/import-dotenv";
import { resolveSecret, type ResolvedSecret } from "@/lib/secrets/resolve/resolve-secrets";
import type { SecretView } from "@/lib/secrets/secret-view";
import { createSecret, deleteSecret, updateSecret } from "@/lib/secrets/write-secrets";

/**
 * Server actions for /secrets: the same lib/ calls as /api/secrets, through runAction. Values go
 * in (create, update) and come out only through revealSecretAction, which resolves like the API
 * does and is audited as a read.
 */
export async function createSecretAction(input: unknown): Promise<ActionResult<SecretView>> {
  return runAction("createSecret", (actor) => createSecret({ actor, input }));
}

export async function updateSecretAction(id: string, input: unknown): Promise<ActionResult<SecretView>> {
  const result = await runAction("updateSecret", (actor) => updateSecret({ actor, id: idArgument(id), input }));
  if (result.ok) revalidatePath("/secrets", "layout");
  return result;
}

export async function deleteSecretAction(id: string): Promise<ActionResult<{ deleted: true }>> {
  return runAction("deleteSecret", async (actor) => {
    await deleteSecret({ actor, id: idArgument(id) });
    return { deleted: true as const };
  });
}

/** The value, on an explicit request by an editor or admin; the read is audited (secret.resolve). */
export async function revealSecretAction(secretPath: string): Promise<ActionResult<ResolvedSecret>> {
  return runAction("resolveSecret", (actor) => resolveSecret({ actor, path: textArgument(secretPath) }));
}

/** What importing a .env file under a prefix would do: paths, sizes and conflicts, never a value. */
export async function previewEnvImportAction(input: unknown): Promise<ActionResult<DotenvPreview>> {
  return runAction("importSecrets", (actor) => previewDotenvImport({ actor, input }));
}

/** Imports a .env file under a prefix by the rules of `provenance import`; each write is audited. */
export async function importEnvAction(input: unknown): Promise<ActionResult<DotenvImportResult>> {
  return runAction("importSecrets", (actor) => importDotenv({ actor, input }));
}
