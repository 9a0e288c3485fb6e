// `npm run setup`: prepares a new install. Creates .env with a fresh SECRETS_MASTER_KEY when none
// is configured, and says loudly that it must be backed up. Never overwrites an existing key.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const file = path.join(process.cwd(), ".env");
const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";

if (process.env.SECRETS_MASTER_KEY || /^\s*SECRETS_MASTER_KEY\s*=\s*\S/m.test(existing)) {
  console.log("SECRETS_MASTER_KEY is already configured; nothing to do.");
  process.exit(0);
}

const key = randomBytes(32).toString("base64url");
const prefix = existing === "" || existing.endsWith("\n") ? existing : existing + "\n";
fs.writeFileSync(
  file,
  `${prefix}# Encrypts every stored secret and credential. Back it up: losing it loses them all.\nSECRETS_MASTER_KEY=${key}\n`,
  { mode: 0o600 },
);
const bar = "!".repeat(78);
console.log(
  [
    bar,
    `Wrote a new SECRETS_MASTER_KEY to ${file}.`,
    "BACK IT UP NOW (password manager, sealed envelope, your platform's secret store).",
    "Every secret and provider credential is encrypted under it; without it they are lost.",
    bar,
  ].join("\n"),
);
