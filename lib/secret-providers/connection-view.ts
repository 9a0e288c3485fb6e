import { sensitiveKeys } from "@/lib/providers/definition";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import { openConfig } from "./connection-config";

import { MASK } from "./mask";
import { parseStoredFence } from "./provider-path-fence";

export interface ConnectionView {
  id: string;
  name: string;
  type: string;
  description: string | null;
  config: Record<string, string>;
  /** Upstream path patterns its secrets may read; null when unfenced (any path). */
  allowedProviderPaths: string[] | null;
  secretCount: number;
  lastTest: { at: string; ok: boolean; message: string | null } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

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
    type: row.type,
    description: row.description === "" ? null : row.description,
    config,
    allowedProviderPaths: parseStoredFence(row.allowedProviderPaths),
    secretCount,
    lastTest: row.lastTestAt ? { at: row.lastTestAt.toISOString(), ok: row.lastTestOk === true, message: row.lastTestMessage } : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
