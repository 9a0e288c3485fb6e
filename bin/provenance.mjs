#!/usr/bin/env node
// `npx provenance …`: runs the TypeScript CLI (cli/main.ts) under tsx, from the project root, with
// the same module conditions as the server so server-only modules load.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { exitOnUnsupportedNode } from "../scripts/node-version.mjs";

exitOnUnsupportedNode();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx");

const result = spawnSync(
  process.execPath,
  ["--conditions=react-server", "--import", tsx, path.join(root, "cli", "main.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", cwd: process.cwd(), env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, "tsconfig.json"), PROVENANCE_ROOT: root } },
);
process.exit(result.status ?? 1);
