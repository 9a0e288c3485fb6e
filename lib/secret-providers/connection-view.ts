import { z } from "zod";
import { sensitiveKeys } from "@/lib/providers/definition";
import { isProviderType, PROVIDER_TYPES, providerDefinition } from "@/lib/providers/registry";
import { rowVersion, stringMap, timestamp } from "@/lib/validation/view-shapes";
import { isFailureStage } from "@/lib/providers/upstream/failure-stage";
import { openConfig } from "./connection-config";

import { MASK } from "./mask";
import { parseStoredFence } from "./provider-path-fence";
import { failureStageSchema } from "./test-result";

/** What the API and the pages show of a connection: credentials masked (see maskConnection). */
export const connectionViewSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    type: z.enum(PROVIDER_TYPES),
    description: z.string().nullable(),
    config: stringMap('The type\'s config fields; sensitive fields that are set read "••••••••", unset ones are absent.'),
    allowedProviderPaths: z
      .array(z.string())
      .nullable()
      .describe(
        "Upstream path patterns the connection's secrets may read (* within one segment, a trailing /** any depth, e.g. secret/payments/**); " +
          "null: any path its credential can read. Outside it, saving or testing a path is 403 for every role and resolving answers forbidden. " +
          "Matched after normalising: Vault KV v2 data/ dropped, GCP short names expanded and versions dropped, Azure case-insensitive, AWS ARNs only by ARN patterns.",
      ),
    secretCount: z.int().min(0),
    lastTest: z
      .strictObject({
        at: timestamp,
        ok: z.boolean(),
        message: z.string().nullable(),
        // The failed test's report (TestResult's error), kept so the page can still say it after a reload.
        stage: failureStageSchema.optional(),
        endpoint: z.string().describe("After a failed test: host[:port] the failing call went to").optional(),
        hint: z.string().describe("After a failed test: what to change to fix it").optional(),
      })
      .nullable()
      .describe("The last test of this connection, or null when it was never tested"),
    version: rowVersion,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Connection" });
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export interface ConnectionRow {
  id: string;
  name: string;
  type: string;
  description: string;
  config: string;
  credentials: string | null;
  allowedProviderPaths: string | null;
  version: number;
  lastTestAt: Date | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
  lastTestStage: string | null;
  lastTestEndpoint: string | null;
  lastTestHint: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The only way a connection leaves the server: sensitive fields that are set read as MASK,
 * unset ones are absent. Every API response and page goes through here.
 */
export function maskConnection(row: ConnectionRow, secretCount: number): ConnectionView {
  const full = openConfig(row);
  const sensitive = isProviderType(row.type) ? sensitiveKeys(providerDefinition(row.type)) : new Set<string>();
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(full)) config[key] = sensitive.has(key) ? MASK : value;
  return {
    id: row.id,
    name: row.name,
    // Only types the write schemas accepted are ever stored.
    type: row.type as ConnectionView["type"],
    description: row.description === "" ? null : row.description,
    config,
    allowedProviderPaths: parseStoredFence(row.allowedProviderPaths),
    secretCount,
    lastTest: lastTestView(row),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function lastTestView(row: ConnectionRow): ConnectionView["lastTest"] {
  if (!row.lastTestAt) return null;
  const ok = row.lastTestOk === true;
  return {
    at: row.lastTestAt.toISOString(),
    ok,
    message: row.lastTestMessage,
    ...(!ok && isFailureStage(row.lastTestStage) ? { stage: row.lastTestStage } : {}),
    ...(!ok && row.lastTestEndpoint ? { endpoint: row.lastTestEndpoint } : {}),
    ...(!ok && row.lastTestHint ? { hint: row.lastTestHint } : {}),
  };
}
