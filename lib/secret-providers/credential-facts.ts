import "server-only";
import { db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { readCredentialConfig } from "@/lib/providers/gcp-sm/credential-config";
import { openConfig } from "./connection-config";

export interface CredentialFact {
  label: string;
  value: string;
}

/**
 * What a stored credential is, without any of its secret parts: the service account a GCP key
 * belongs to (its client_email is an identifier, not a secret), or the workload identity pool a
 * federation config points at. The connection page shows these next to "Stored", so people can
 * tell which key is in use. Read when the page renders; nothing derived is stored.
 */
export async function credentialFacts(id: string): Promise<CredentialFact[]> {
  const row = await db().secretProvider.findUnique({ where: { id } });
  if (!row) throw notFound("Secret provider connection");
  if (row.type !== "gcp-sm") return [];
  const json = openConfig(row).serviceAccountJson;
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  // The server's own URL rules were checked on save; here only the kind and identifiers are read.
  const read = readCredentialConfig(parsed, { allowInsecure: true });
  if (!read.config) return [];
  if (read.config.kind === "service_account") {
    return [{ label: "Service account", value: read.config.clientEmail }];
  }
  return [{ label: "Workload identity pool provider", value: read.config.audience }];
}
