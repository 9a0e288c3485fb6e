import path from "node:path";
import type { SystemActor } from "@/lib/auth/actor";
import { changesAnnounced } from "@/lib/cluster/publish";
import { disconnectDb } from "@/lib/db/client";
import { databaseAppError } from "@/lib/db/errors";
import { applyMigrations } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { AppError, validationError } from "@/lib/errors";
import { ensureKeyCheck } from "@/lib/keys/key-check-store";
import { rotateKeys } from "@/lib/keys/rotate-keys";
import { createToken } from "@/lib/tokens/manage-tokens";
import { parseBundleFile } from "@/lib/transfer/bundle-crypto";
import { readBundleFile } from "@/lib/transfer/bundle-file";
import { exportToFile } from "@/lib/transfer/export-bundle";
import { describeRebind, importPayload, ON_CONFLICT, readBundle, type OnConflict } from "@/lib/transfer/import-bundle";
import { readPassphrase } from "@/lib/transfer/passphrase";
import { createUser } from "@/lib/users/manage-users";
import { resetPassword } from "@/lib/users/passwords";
import { readNewPassword } from "./new-password";
import { say } from "./terminal-safe";

type Options = Record<string, string | undefined>;

const CLI: SystemActor = { kind: "system", label: "cli" };

/** Every command first brings the database up to date and proves the master key matches it. */
async function prepare(): Promise<void> {
  await applyMigrations({ url: env().DATABASE_URL });
  await ensureKeyCheck();
}

function requiredFlag(options: Options, flag: string, what: string): string {
  const value = options[flag];
  if (!value) throw new AppError("validation_error", `--${flag} FILE is required: ${what}, e.g. --${flag} provenance-backup.json`);
  return value;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const commands: Record<string, (options: Options) => Promise<void>> = {
  async migrate() {
    const { applied } = await applyMigrations({ url: env().DATABASE_URL });
    say(applied.length ? `Applied: ${applied.join(", ")}\n` : "The database is up to date.\n");
  },

  async "user create"(options) {
    await prepare();
    const user = await createUser({ actor: CLI, input: { email: options.email, password: options.password, role: options.role } });
    say(`Created ${user.role} ${user.email} (id ${user.id}).\n`);
  },

  async "user set-password"(options) {
    if (!options.email) throw validationError({ email: "Required: the account whose password to set, e.g. --email ada@example.com" });
    // Asked before the database is touched, so a cancelled prompt changes nothing.
    const newPassword = await readNewPassword();
    await prepare();
    const user = await resetPassword({ actor: CLI, user: { email: options.email }, input: { newPassword } });
    say(`Set a new password for ${user.email}; every session of that account has ended.\n`);
  },

  async "token create"(options) {
    await prepare();
    const days = options["expires-in-days"];
    const { token, view } = await createToken({
      actor: CLI,
      input: { name: options.name, role: options.role, scope: options.scope, expiresInDays: days === undefined ? undefined : Number(days) },
    });
    process.stdout.write(`${token}\n`);
    say(`Created ${view.role} token "${view.name}"${view.scope ? ` scoped to ${view.scope}` : ""}. It is shown only once; store it now.\n`);
  },

  async "key rotate"() {
    await prepare();
    const report = await rotateKeys((progress) => {
      const done = progress.reencrypted.secretProviders + progress.reencrypted.secrets;
      say(`Re-encrypted ${done} value(s) so far (${progress.alreadyCurrent} already current)…\n`);
    });
    const total = report.reencrypted.secretProviders + report.reencrypted.secrets;
    say(
      `Re-encrypted ${total} value(s) under the current key (${report.reencrypted.secretProviders} connection credential(s), ` +
        `${report.reencrypted.secrets} secret(s)); ${report.alreadyCurrent} already current. ` +
        "SECRETS_MASTER_KEY_PREVIOUS can now be removed.\n",
    );
    if (report.lateWrites > 0) {
      say(
        `Warning: ${report.lateWrites} value(s) were written under the old key while rotating (and are now re-encrypted): ` +
          "some instance still runs with the old key as SECRETS_MASTER_KEY. Restart it with the new key, then run key rotate again.\n",
      );
    }
  },

  async export(options) {
    const file = requiredFlag(options, "out", "where to write the bundle");
    // The passphrase first: nothing is read or written until there is a usable one.
    const passphrase = await readPassphrase({ envVar: options["passphrase-env"], confirm: true });
    await prepare();
    const counts = await exportToFile({ actor: CLI, passphrase, file });
    say(
      `Exported ${plural(counts.connections, "connection")} and ${plural(counts.secrets, "secret")} ` +
        `(${counts.storedValues} with a stored value) to ${file} (mode 0600).\n` +
        "It is encrypted with your passphrase: keep the passphrase apart from the file; without it the bundle cannot be imported.\n",
    );
  },

  async import(options) {
    const file = requiredFlag(options, "in", "the bundle to import");
    const onConflict = (options["on-conflict"] ?? "fail") as OnConflict;
    if (!ON_CONFLICT.includes(onConflict)) throw validationError({ "on-conflict": `Must be one of ${ON_CONFLICT.join(", ")}` });
    const text = await readBundleFile(file);
    parseBundleFile(text); // not a bundle: say so before asking for a passphrase
    const passphrase = await readPassphrase({ envVar: options["passphrase-env"], confirm: false });
    // Decrypted and checked before the database is touched: a wrong passphrase changes nothing.
    const payload = await readBundle(text, passphrase);
    await prepare();
    const rebind = options.rebind === "true";
    if (rebind && onConflict !== "skip")
      throw validationError({
        rebind: "Only with --on-conflict skip: the other modes never attach a bundle's secrets to this server's connections",
      });
    const report = await importPayload({
      actor: CLI,
      payload,
      onConflict,
      label: path.basename(file),
      rebind,
      // Listed before anything is written, so the operator sees every path that now reads with this server's credentials.
      onRebind: (rebinds) =>
        say(
          `Rebinding ${plural(rebinds.length, "secret")} to this server's connections (--rebind):\n${rebinds.map((r) => `  ${describeRebind(r)}\n`).join("")}`,
        ),
    });
    const line = (what: string, c: { created: number; replaced: number; skipped: number }) =>
      `${what}: ${c.created} created, ${c.replaced} replaced, ${c.skipped} skipped (already here)`;
    say(
      `Imported ${file} (exported ${payload.exportedAt} from ${payload.source.database}).\n` +
        `  ${line("Connections", report.connections)}\n  ${line("Secrets", report.secrets)}\n` +
        (report.newIds > 0 ? `  ${plural(report.newIds, "row")} got a new id (the bundle's was taken here).\n` : ""),
    );
  },
};

export async function runCommand(name: string, options: Options): Promise<number> {
  const command = commands[name];
  if (!command) {
    say(`provenance: unknown command "${name}"\n`);
    return 2;
  }
  try {
    await command(options);
    return 0;
  } catch (caught) {
    // A locked or unreachable database reads as the API words it, not as the driver's message.
    const error = caught instanceof AppError ? caught : (databaseAppError(caught) ?? caught);
    if (error instanceof AppError) {
      const fields = (error.extra.fields ?? {}) as Record<string, string>;
      const details = Object.entries(fields).map(([field, message]) => `  --${field}: ${message}`);
      say(`provenance: ${error.message}\n${details.join("\n")}${details.length ? "\n" : ""}`);
      return 1;
    }
    throw error;
  } finally {
    // Imports and token changes tell running servers (PostgreSQL) before the pool closes.
    await changesAnnounced();
    await disconnectDb();
  }
}
