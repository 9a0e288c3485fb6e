import "server-only";
import path from "node:path";
import type { AuditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { decrypt, isDecryptionError } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { parseDatabaseUrl } from "@/lib/db/url";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { secretValueAad } from "@/lib/keys/aad";
import { keyring } from "@/lib/keys/keyring";
import { openConfig } from "@/lib/secret-providers/connection-config";
import { parseStoredFence } from "@/lib/secret-providers/provider-path-fence";
import { PROVENANCE_PROVIDER } from "@/lib/secrets/secret-schemas";
import { parseProviderConfig } from "@/lib/secrets/secret-view";
import { DEFAULT_KDF_COST, normalizePassphrase, sealBundle, type KdfCost } from "./bundle-crypto";
import { writeBundleFile } from "./bundle-file";
import { parsePayloadObject, payloadProblems, summarize, type BundlePayload } from "./payload";

export interface ExportCounts {
  connections: number;
  secrets: number;
  /** Secrets whose value is stored in Provenance (and so travels in the bundle). */
  storedValues: number;
}

function unreadable(what: string, error: unknown): AppError {
  const why = isDecryptionError(error) ? error.message : "it could not be read";
  return new AppError("internal_error", `Cannot export ${what}: ${why} Nothing was written.`);
}

/**
 * Reads every connection and secret as one consistent snapshot and decrypts them with the current
 * keyring (current or previous key, so an export also works in the middle of a key rotation).
 */
export async function collectPayload(): Promise<BundlePayload> {
  const database = parseDatabaseUrl(env().DATABASE_URL).dialect === "sqlite" ? "sqlite" : "postgresql";
  // One read transaction: a secret and the connection it references are seen together. On
  // PostgreSQL, REPEATABLE READ gives both queries the same snapshot; SQLite transactions are
  // serializable anyway.
  const [connections, secrets] = await db().$transaction(
    [db().secretProvider.findMany({ orderBy: { name: "asc" } }), db().secret.findMany({ orderBy: { secretPath: "asc" } })],
    // `Db` is typed as the SQLite client, which knows only "Serializable"; the PostgreSQL client
    // behind it at run time takes "RepeatableRead".
    { isolationLevel: (database === "sqlite" ? "Serializable" : "RepeatableRead") as "Serializable" },
  );
  const ring = keyring();

  const payload: BundlePayload = {
    exportedAt: new Date().toISOString(),
    source: { database },
    counts: { connections: connections.length, secrets: secrets.length },
    connections: connections.map((row) => {
      let config: Record<string, string>;
      try {
        config = openConfig(row);
      } catch (error) {
        throw unreadable(`the credentials of connection "${row.name}" (id ${row.id})`, error);
      }
      return {
        id: row.id,
        name: row.name,
        type: row.type as BundlePayload["connections"][number]["type"],
        description: row.description,
        config,
        allowedProviderPaths: parseStoredFence(row.allowedProviderPaths),
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    }),
    secrets: secrets.map((row) => {
      let value: string | null = null;
      if (row.provider === PROVENANCE_PROVIDER) {
        try {
          value = decrypt(ring, row.valueCiphertext ?? "", secretValueAad(row.id));
        } catch (error) {
          throw unreadable(`the value of secret ${row.secretPath} (id ${row.id})`, error);
        }
      }
      return {
        id: row.id,
        secretPath: row.secretPath,
        provider: row.provider as BundlePayload["secrets"][number]["provider"],
        providerPath: row.providerPath,
        secretProviderId: row.secretProviderId,
        providerConfig: parseProviderConfig(row.providerConfig),
        description: row.description,
        value,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    }),
  };

  // A backup that cannot be restored is worse than an error now. URL rules are the lenient ones:
  // this server accepted the data; whether the importing server allows http:// URLs is its call.
  const parsed = parsePayloadObject(payload);
  const problems = parsed.ok ? payloadProblems(parsed.payload, { allowInsecure: true }) : parsed.problems;
  if (problems.length > 0) {
    throw new AppError("internal_error", `The data cannot be exported as a valid bundle; nothing was written:\n${summarize(problems)}`);
  }
  return payload;
}

export interface ExportOptions {
  actor: AuditActor;
  passphrase: string;
  /** Where to write the bundle (created with mode 0600, replacing an existing file atomically). */
  file: string;
  /** Tests only: a cheaper scrypt cost. */
  kdfCost?: KdfCost;
}

/** `npx provenance export`: writes the encrypted bundle, then records `bundle.export` (counts only). */
export async function exportToFile(options: ExportOptions): Promise<ExportCounts> {
  normalizePassphrase(options.passphrase); // refuse a weak passphrase before reading anything
  const payload = await collectPayload();
  const text = await sealBundle(JSON.stringify(payload), options.passphrase, options.kdfCost ?? DEFAULT_KDF_COST);
  await writeBundleFile(options.file, text);
  const counts: ExportCounts = {
    connections: payload.connections.length,
    secrets: payload.secrets.length,
    storedValues: payload.secrets.filter((s) => s.value !== null).length,
  };
  await recordAudit({
    actor: options.actor,
    action: "bundle.export",
    target: { type: "bundle", label: path.basename(options.file) },
    outcome: "success",
    details: { ...counts },
  });
  return counts;
}
