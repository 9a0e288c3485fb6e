import type { SystemActor } from "@/lib/auth/actor";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { ensureKeyCheck } from "@/lib/keys/key-check-store";
import { rotateKeys } from "@/lib/keys/rotate-keys";
import { createToken } from "@/lib/tokens/manage-tokens";
import { createUser } from "@/lib/users/manage-users";

type Options = Record<string, string | undefined>;

const CLI: SystemActor = { kind: "system", label: "cli" };

/** Every command first brings the database up to date and proves the master key matches it. */
async function prepare(): Promise<void> {
  await applyMigrations({ url: env().DATABASE_URL });
  await ensureKeyCheck();
}

const commands: Record<string, (options: Options) => Promise<void>> = {
  async migrate() {
    const { applied } = await applyMigrations({ url: env().DATABASE_URL });
    process.stderr.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "The database is up to date.\n");
  },

  async "user create"(options) {
    await prepare();
    const user = await createUser({ actor: CLI, input: { email: options.email, password: options.password, role: options.role } });
    process.stderr.write(`Created ${user.role} ${user.email} (id ${user.id}).\n`);
  },

  async "token create"(options) {
    await prepare();
    const days = options["expires-in-days"];
    const { token, view } = await createToken({
      actor: CLI,
      input: { name: options.name, role: options.role, scope: options.scope, expiresInDays: days === undefined ? undefined : Number(days) },
    });
    process.stdout.write(`${token}\n`);
    process.stderr.write(
      `Created ${view.role} token "${view.name}"${view.scope ? ` scoped to ${view.scope}` : ""}. It is shown only once; store it now.\n`,
    );
  },

  async "key rotate"() {
    await prepare();
    const report = await rotateKeys();
    const total = report.reencrypted.secretProviders + report.reencrypted.secrets;
    process.stderr.write(
      `Re-encrypted ${total} value(s) under the current key (${report.reencrypted.secretProviders} connection credential(s), ` +
        `${report.reencrypted.secrets} secret(s)); ${report.alreadyCurrent} already current. ` +
        "SECRETS_MASTER_KEY_PREVIOUS can now be removed.\n",
    );
  },
};

export async function runCommand(name: string, options: Options): Promise<number> {
  const command = commands[name];
  if (!command) {
    process.stderr.write(`provenance: unknown command "${name}"\n`);
    return 2;
  }
  try {
    await command(options);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      const fields = (error.extra.fields ?? {}) as Record<string, string>;
      const details = Object.entries(fields).map(([field, message]) => `  --${field}: ${message}`);
      process.stderr.write(`provenance: ${error.message}\n${details.join("\n")}${details.length ? "\n" : ""}`);
      return 1;
    }
    throw error;
  } finally {
    await disconnectDb();
  }
}
