import "server-only";
import {
  FormatError,
  isOnConflict,
  planEnvImport,
  readEnvImport,
  type EnvImportCounts,
  type EnvImportEntry,
  type EnvImportPlan,
  type OnConflict,
} from "@/client/src/env-import";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { isAppError, validationError } from "@/lib/errors";
import { listSecrets } from "./read-secrets";
import { isSecretPath, isValidPrefix } from "./secret-path";
import { createSecret, updateSecret } from "./write-secrets";

/**
 * The Secrets page's "Import .env": the rules of `provenance import` (client/src/env-import.ts,
 * one implementation for both doors) applied through the same lib/ writes as the API, so each
 * secret written is audited as a create or change, and the import as a whole once more.
 * The preview names paths and sizes; no value ever leaves this module.
 */
export interface DotenvImportInput {
  text: string;
  prefix: string;
  onConflict: OnConflict;
}

export interface DotenvPreviewRow {
  name: string;
  secretPath: string;
  line: number;
  /** The value's length in UTF-8 bytes: enough to spot an empty or truncated one. */
  bytes: number;
  /** What the import would do: create, skip or replace, or refuse (`fail` with the path taken). */
  action: "create" | "skip" | "replace" | "blocked";
}

export interface DotenvPreview {
  prefix: string;
  onConflict: OnConflict;
  rows: DotenvPreviewRow[];
  /** `fail` and at least one path exists: importing would write nothing. */
  blocked: boolean;
}

export interface DotenvImportResult extends EnvImportCounts {
  prefix: string;
  /** Paths that could not be written, with why (never the value). */
  failures: Array<{ secretPath: string; message: string }>;
}

/** What importing would do, without writing anything. */
export async function previewDotenvImport(options: { actor: Actor; input: unknown }): Promise<DotenvPreview> {
  const { input, plan } = await planFor(options.actor, options.input);
  return {
    prefix: input.prefix,
    onConflict: input.onConflict,
    blocked: plan.blocked,
    rows: plan.steps.map((step) => ({
      name: step.entry.name,
      secretPath: step.entry.secretPath,
      line: step.entry.line,
      bytes: Buffer.byteLength(step.entry.value, "utf8"),
      action: plan.blocked && step.kind !== "create" ? "blocked" : step.kind,
    })),
  };
}

/** Imports: with `fail`, any existing path refuses the whole file (409); otherwise one bad path never stops the rest. */
export async function importDotenv(options: { actor: Actor; input: unknown }): Promise<DotenvImportResult> {
  const { actor } = options;
  const { input, plan } = await planFor(actor, options.input);
  if (plan.blocked) {
    throw validationError(
      {
        onConflict: `${plan.clashes.length} of these paths exist already (${plan.clashes.map((e) => e.secretPath).join(", ")}): choose skip or replace`,
      },
      `Nothing imported: ${plan.clashes.length} secret(s) exist already; choose skip or replace.`,
    );
  }
  const result: DotenvImportResult = { prefix: input.prefix, created: 0, replaced: 0, skipped: 0, failed: 0, failures: [] };
  for (const step of plan.steps) {
    const { secretPath, value } = step.entry;
    try {
      if (step.kind === "create") {
        await createSecret({ actor, input: { secretPath, value } });
        result.created++;
      } else if (step.kind === "skip") {
        result.skipped++;
      } else {
        await updateSecret({ actor, id: step.id, input: { value } });
        result.replaced++;
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      result.failed++;
      result.failures.push({ secretPath, message: error.message });
    }
  }
  await recordAudit({
    actor,
    action: "secret.import_env",
    target: { type: "secret", label: input.prefix },
    outcome: result.failed > 0 ? "failure" : "success",
    details: {
      onConflict: input.onConflict,
      created: result.created,
      replaced: result.replaced,
      skipped: result.skipped,
      failed: result.failed,
    },
  });
  return result;
}

/** Checks the request, reads the file by the CLI's rules and plans against what exists under the prefix. */
async function planFor(actor: Actor, raw: unknown): Promise<{ input: DotenvImportInput; plan: EnvImportPlan<EnvImportEntry> }> {
  const input = checkInput(raw);
  let entries: EnvImportEntry[];
  try {
    entries = readEnvImport(input.text, input.prefix);
  } catch (error) {
    if (error instanceof FormatError) throw validationError({ text: `The file is not one we can import: ${error.message}` });
    throw error;
  }
  if (entries.length === 0) throw validationError({ text: "The file has no NAME=value lines" });
  const tooLong = entries.filter((e) => !isSecretPath(e.secretPath));
  if (tooLong.length > 0)
    throw validationError({ text: `These paths would be longer than 200 characters: ${tooLong.map((e) => `line ${e.line}`).join(", ")}` });
  // Everything the caller may see under the prefix (a scoped caller sees only its own paths).
  const existing = new Map((await listSecrets({ actor, filter: { prefix: input.prefix } })).map((s) => [s.secretPath, s.id]));
  return { input, plan: planEnvImport(entries, existing, input.onConflict) };
}

function checkInput(raw: unknown): DotenvImportInput {
  const body = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const text = typeof body.text === "string" ? body.text : "";
  const prefix = typeof body.prefix === "string" ? body.prefix.trim().replace(/\.$/, "") : "";
  if (text.trim() === "") fields.text = "Choose a .env file or paste its contents";
  if (prefix === "") fields.prefix = "Choose the prefix the variables go under, e.g. legacyApp";
  else if (!isValidPrefix(prefix)) fields.prefix = "Prefix must be a dotted secret path such as stripe or stripe.live";
  if (!isOnConflict(body.onConflict)) fields.onConflict = "Choose fail, skip or replace";
  if (Object.keys(fields).length > 0) throw validationError(fields);
  return { text, prefix, onConflict: body.onConflict as OnConflict };
}
