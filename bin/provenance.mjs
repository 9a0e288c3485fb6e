#!/usr/bin/env node
// `npx provenance …`. Remote mode (get, run; export and import given a server URL) is the client
// package's CLI (client/src/cli), run in this process so that `run` passes signals straight to its
// command. Everything else is the administration CLI (cli/main.ts) under tsx, from the project
// root, with the same module conditions as the server so server-only modules load.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { exitOnUnsupportedNode } from "../scripts/node-version.mjs";

exitOnUnsupportedNode();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

if (isRemote(args)) {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import(pathToFileURL(path.join(root, "client", "src", "cli", "main.ts")).href);
  process.exit(await main(args));
}

const tsx = require.resolve("tsx");
const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", tsx, path.join(root, "cli", "main.ts"), ...args], {
  stdio: "inherit",
  cwd: process.cwd(),
  env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, "tsconfig.json"), PROVENANCE_ROOT: root },
});
process.exit(result.status ?? 1);

/**
 * get and run exist only in remote mode; export and import are remote when a server is named
 * (--url or PROVENANCE_URL) and they are not the bundle commands (--out, --in).
 */
function isRemote(argv) {
  const [command] = argv;
  if (command === "get" || command === "run") return true;
  if (command !== "export" && command !== "import") return false;
  const own = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  const bundle = own.some((arg) => /^--(out|in)(=|$)/.test(arg));
  const server = own.some((arg) => /^--url(=|$)/.test(arg)) || Boolean(process.env.PROVENANCE_URL);
  return server && !bundle;
}
