import { startAuditPruning } from "@/lib/audit/prune-audit";
import { startChangeListener, stopChangeListener } from "@/lib/cluster/change-listener";
import { applyMigrations } from "@/lib/db/migrate";
import { env, publicUrl, resetEnvForTests } from "@/lib/env";
import { ensureKeyCheck } from "@/lib/keys/key-check-store";
import { keyring } from "@/lib/keys/keyring";
import { log } from "@/lib/log";
import { issueSetupCode } from "@/lib/setup/setup-code";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/users/manage-users";
import { startUpstreamRefresh } from "@/lib/refresh/refresh-scheduler";
import { startCountFlushes } from "@/lib/usage/count-flushes";
import { webhookConfig } from "@/lib/webhooks/webhook-config";
import { startWebhookDeliveries } from "@/lib/webhooks/webhook-dispatcher";
import { backupWarning, writeMasterKeyToEnvFile } from "./master-key-file";

/**
 * Start-up, before the server takes requests: a master key, a migrated database, proof that the
 * key matches the data, and a way to the first admin. Any failure stops the server with a
 * message saying what to do, rather than serving errors later.
 */
export async function boot(): Promise<void> {
  ensureMasterKey();
  // Checked before anything else starts: a webhook set up wrongly stops the server with the reason.
  const webhook = webhookConfig();
  const { applied } = await applyMigrations({ url: env().DATABASE_URL });
  if (applied.length > 0) log.info("database migrated", { applied });
  const keyCheck = await ensureKeyCheck();
  if (keyCheck === "previous") {
    log.warn("data is still encrypted under SECRETS_MASTER_KEY_PREVIOUS; run `npx provenance key rotate` to finish the rotation");
  }
  // PostgreSQL: hear other instances' changes (lib/cluster). SQLite: does nothing.
  await startChangeListener();
  process.once("exit", () => void stopChangeListener());
  await ensureFirstAdmin();
  startAuditPruning();
  startCountFlushes();
  startWebhookDeliveries(webhook);
  startUpstreamRefresh();
}

/** boot(), or a clear message and exit code 1 (kept here, out of the edge-compiled instrumentation). */
export async function bootOrExit(): Promise<void> {
  try {
    await boot();
  } catch (error) {
    console.error(`\nProvenance cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

function ensureMasterKey(): void {
  if (env().SECRETS_MASTER_KEY?.trim()) {
    keyring(); // Validates the key now, not on the first request.
    return;
  }
  if (env().NODE_ENV === "production") {
    throw new Error(
      "SECRETS_MASTER_KEY is not set. Provenance refuses to start in production without it. " +
        "Run `npm run setup` to create one in .env, or set it in the environment (and back it up).",
    );
  }
  const { key, file } = writeMasterKeyToEnvFile();
  process.env.SECRETS_MASTER_KEY = key;
  resetEnvForTests();
  console.warn(backupWarning(file));
}

async function ensureFirstAdmin(): Promise<void> {
  const { PROVENANCE_ADMIN_EMAIL: email, PROVENANCE_ADMIN_PASSWORD: password } = env();
  if ((await db().user.count()) > 0) return;
  if (email && password) {
    try {
      await createUser({ actor: { kind: "system", label: "PROVENANCE_ADMIN_EMAIL" }, input: { email, password, role: "admin" } });
    } catch (error) {
      // Several instances starting together race for the first admin; one of them wins.
      if ((await db().user.count()) > 0) return;
      throw error;
    }
    log.info("first admin created from PROVENANCE_ADMIN_EMAIL", { email });
    return;
  }
  const code = await issueSetupCode();
  const url = `${publicUrl()}/setup`;
  // Printed plainly (not only as JSON) so a person watching the terminal sees it.
  console.log(
    [
      "",
      "==================================================================",
      " No users yet. Create the first admin at:",
      `   ${url}`,
      ` with this one-time setup code: ${code}`,
      " (or run: npx provenance user create --email E --password P --role admin)",
      "==================================================================",
      "",
    ].join("\n"),
  );
}
