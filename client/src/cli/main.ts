/**
 * `provenance` in remote mode: get, run, export and import over the API with PROVENANCE_URL and
 * PROVENANCE_TOKEN (or --url, --token), or PROVENANCE_ID_TOKEN_FILE (--id-token-file) to exchange an
 * OIDC ID token for a short-lived token. Needs Node and nothing else: no database, no master key.
 * Values go to stdout only where asked (get, export) or into the child's environment (run);
 * everything for people goes to stderr, and no value ever does.
 *
 * Exit codes: 0 done, 1 failed (`code: message` on stderr), 2 bad usage; `run` exits with its
 * command's code (128 + the signal's number when a signal ended it).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { isProvenanceError, ProvenanceError } from "../errors.js";
import { say } from "./terminal.js";
import { COMMANDS, USAGE, type CommandOptions } from "./commands.js";

export async function main(argv: string[]): Promise<number> {
  const separator = argv.indexOf("--");
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  const [name, ...rest] = own;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    say(USAGE);
    return name ? 0 : 2;
  }
  const handler = COMMANDS[name];
  if (!handler) return usage(`unknown command ${JSON.stringify(name)}`);

  let options: CommandOptions;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: "string" },
        token: { type: "string" },
        "id-token-file": { type: "string" },
        raw: { type: "boolean" },
        prefix: { type: "string", multiple: true },
        path: { type: "string", multiple: true },
        env: { type: "string", multiple: true },
        "no-override": { type: "boolean" },
        format: { type: "string" },
        "on-conflict": { type: "string" },
        "fallback-file": { type: "string" },
        watch: { type: "boolean" },
        "fallback-max-age": { type: "string" },
      },
    });
    const url = values.url ?? process.env.PROVENANCE_URL;
    const token = values.token ?? process.env.PROVENANCE_TOKEN;
    const idTokenFile = values["id-token-file"] ?? process.env.PROVENANCE_ID_TOKEN_FILE;
    if (!url) return usage("no server: set PROVENANCE_URL or pass --url");
    if (!token && !idTokenFile)
      return usage("no token: set PROVENANCE_TOKEN or pass --token (or an ID token: PROVENANCE_ID_TOKEN_FILE or --id-token-file)");
    if (token && idTokenFile) return usage("give a token or an ID token file, not both");
    // Read at each exchange: platforms rotate these files (a Kubernetes projected token, a CI's OIDC token).
    const idToken = idTokenFile
      ? () =>
          readFile(idTokenFile, "utf8").catch(() => {
            throw new ProvenanceError("bad_usage", `cannot read the ID token file ${idTokenFile}`);
          })
      : undefined;
    options = { ...values, url, token, idToken, positionals, command };
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }

  try {
    return await handler(options);
  } catch (error) {
    if (isProvenanceError(error)) {
      say(`${error.code}: ${error.message}\n`);
      return error.code === "bad_usage" ? 2 : 1;
    }
    throw error;
  }
}

function usage(problem: string): number {
  say(`provenance: ${problem}\n\n${USAGE}`);
  return 2;
}
