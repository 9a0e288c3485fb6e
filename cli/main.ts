/**
 * `npx provenance <command>`: administration from a checkout, against the configured database.
 * Output meant for scripts goes to stdout alone (e.g. `token create` prints just the token);
 * everything for people goes to stderr.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const root = process.env.PROVENANCE_ROOT ?? process.cwd();
for (const file of [path.join(process.cwd(), ".env"), path.join(root, ".env")]) {
  if (fs.existsSync(file)) {
    process.loadEnvFile(file);
    break;
  }
}

const USAGE = `Usage:
  npx provenance user create --email E --password P --role admin|editor|viewer
  npx provenance token create --name N --role admin|editor|viewer [--scope 'stripe.*'] [--expires-in-days D]
  npx provenance key rotate
  npx provenance migrate
`;

async function main(argv: string[]): Promise<number> {
  const [group, verb, ...rest] = argv;
  const command = `${group ?? ""} ${verb ?? ""}`.trim();
  const { runCommand } = await import("./commands");
  if (!group || group === "help" || group === "--help" || group === "-h") {
    process.stderr.write(USAGE);
    return group ? 0 : 2;
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
    },
    strict: true,
  });
  return runCommand(group === "migrate" ? "migrate" : command, values);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usageProblem = error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`provenance: ${error instanceof Error ? error.message : String(error)}\n${usageProblem ? USAGE : ""}`);
    process.exit(1);
  },
);
