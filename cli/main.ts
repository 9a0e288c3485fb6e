/**
 * `npx provenance <command>`: administration from a checkout, against the configured database.
 * Output meant for scripts goes to stdout alone (e.g. `token create` prints just the token);
 * everything for people goes to stderr.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { say } from "./terminal-safe";

const root = process.env.PROVENANCE_ROOT ?? process.cwd();
for (const file of [path.join(process.cwd(), ".env"), path.join(root, ".env")]) {
  if (fs.existsSync(file)) {
    process.loadEnvFile(file);
    break;
  }
}

const USAGE = `Usage:
  npx provenance user create --email E --password P --role admin|editor|viewer
  npx provenance user set-password --email E
    (the new password comes from $PROVENANCE_NEW_PASSWORD or a prompt on the terminal; never from an argument)
  npx provenance token create --name N --role admin|editor|viewer [--scope 'stripe.*'] [--expires-in-days D]
    (--scope only with editor or viewer: admin tokens carry no scope)
  npx provenance key rotate
  npx provenance migrate
  npx provenance export --out FILE [--passphrase-env VAR]
  npx provenance import --in FILE [--passphrase-env VAR] [--on-conflict fail|skip|replace] [--rebind]
    (--rebind: with skip, let the bundle's secrets read through this server's connections of the
     same name; each one is listed with its provider path first)
    (the bundle passphrase comes from $PROVENANCE_BUNDLE_PASSPHRASE, the variable named by
     --passphrase-env, or a prompt on the terminal; never from an argument)
`;

/** Commands of one word; the others are "group verb". */
const SINGLE_WORD = new Set(["migrate", "export", "import"]);

async function main(argv: string[]): Promise<number> {
  const [group, verb] = argv;
  const single = group !== undefined && SINGLE_WORD.has(group);
  const command = single ? group : `${group ?? ""} ${verb ?? ""}`.trim();
  const rest = argv.slice(single ? 1 : 2);
  const { runCommand } = await import("./commands");
  if (!group || group === "help" || group === "--help" || group === "-h") {
    say(USAGE);
    return group ? 0 : 2;
  }
  if (command === "user set-password" && rest.some((arg) => arg === "--password" || arg.startsWith("--password="))) {
    process.stderr.write(
      "provenance: --password is not accepted here: an argument stays in shell history and is visible to other users in `ps`.\n" +
        "Set PROVENANCE_NEW_PASSWORD, or run in a terminal to be asked.\n",
    );
    return 2;
  }
  if (rest.some((arg) => arg === "--passphrase" || arg.startsWith("--passphrase="))) {
    // Refused before parsing so that the message can say why (and never echo the value).
    say(
      "provenance: --passphrase is not accepted: an argument stays in shell history and is visible to other users in `ps`.\n" +
        "Set PROVENANCE_BUNDLE_PASSPHRASE, name another variable with --passphrase-env VAR, or run in a terminal to be asked.\n",
    );
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      scope: { type: "string" },
      "expires-in-days": { type: "string" },
      out: { type: "string" },
      in: { type: "string" },
      "passphrase-env": { type: "string" },
      "on-conflict": { type: "string" },
      rebind: { type: "boolean" },
    },
    strict: true,
  });
  // Commands take text options; a boolean flag given reads as "true".
  const options = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "boolean" ? (v ? "true" : undefined) : v]));
  return runCommand(command, options);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usageProblem = error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
    say(`provenance: ${error instanceof Error ? error.message : String(error)}\n${usageProblem ? USAGE : ""}`);
    process.exit(1);
  },
);
