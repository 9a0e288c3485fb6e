import fs from "node:fs";
import path from "node:path";
import { generateMasterKey } from "@/lib/crypto";

/**
 * Development convenience only: on a first start with no SECRETS_MASTER_KEY, write a fresh one to
 * .env so the next start finds it. Production never does this (a generated key that nobody
 * backed up is data loss waiting to happen); `npm run setup` is the explicit way there.
 */
export function writeMasterKeyToEnvFile(directory = process.cwd()): { key: string; file: string } {
  const file = path.join(directory, ".env");
  const key = generateMasterKey();
  const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (/^\s*SECRETS_MASTER_KEY\s*=/m.test(existing)) {
    throw new Error(`${file} already defines SECRETS_MASTER_KEY; refusing to overwrite it.`);
  }
  const prefix = existing === "" || existing.endsWith("\n") ? existing : existing + "\n";
  fs.writeFileSync(
    file,
    `${prefix}# Encrypts every stored secret and credential. Back it up: losing it loses them all.\nSECRETS_MASTER_KEY=${key}\n`,
    { mode: 0o600 },
  );
  return { key, file };
}

export function backupWarning(file: string): string {
  const bar = "!".repeat(78);
  return [
    bar,
    `A new SECRETS_MASTER_KEY was generated and written to ${file}.`,
    "BACK IT UP NOW (password manager, sealed envelope, your platform's secret store).",
    "Every secret and provider credential is encrypted under it; without it they are lost.",
    bar,
  ].join("\n");
}
