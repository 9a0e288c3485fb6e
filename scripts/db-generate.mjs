#!/usr/bin/env node
// Regenerates both Prisma clients (lib/generated/sqlite and lib/generated/postgres) with no download.
//
// 1. scripts/db-schemas.mjs writes the two schema files from prisma/models.prisma.
// 2. `prisma generate --schema …` runs once per schema. The Prisma CLI insists on a native schema
//    engine that cannot be downloaded here, but `generate` only checks that the file named by
//    PRISMA_SCHEMA_ENGINE_BINARY exists, so we point it at a stand-in that explains itself and
//    exits 1 if anything ever tries to run it. Migrations do not use the CLI at all (lib/db/migrate.ts).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

function prismaCli() {
  let pkgFile;
  try {
    pkgFile = require.resolve("prisma/package.json");
  } catch {
    console.error("db-generate: the `prisma` CLI package is not installed (it is a devDependency).");
    process.exit(1);
  }
  const { bin } = JSON.parse(readFileSync(pkgFile, "utf8"));
  return path.join(path.dirname(pkgFile), typeof bin === "string" ? bin : bin.prisma);
}

function run(args) {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts", "prisma-schema-engine-unavailable.mjs"),
      // No telemetry or update check: they would only time out against an unreachable host.
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run([path.join(root, "scripts", "db-schemas.mjs")]);
const cli = prismaCli();
for (const provider of ["sqlite", "postgres"]) {
  run([cli, "generate", "--schema", path.join("prisma", provider, "schema.prisma")]);
}
