#!/usr/bin/env node
// Stand-in for Prisma's native schema engine, which cannot be downloaded on this project's machines.
//
// `prisma generate` only checks that the file named by PRISMA_SCHEMA_ENGINE_BINARY exists, so
// scripts/db-generate.mjs points it here. Anything that really needs the engine (migrate, db push,
// introspection) lands here and fails with an explanation instead of a download error.
console.error(
  [
    "The Prisma schema engine is not available in this project.",
    "Migrations are hand-written SQL in prisma/migrations/{sqlite,postgres}/ and are applied by",
    "lib/db/migrate.ts when the app starts; only `prisma generate` (scripts/db-generate.mjs) is used.",
  ].join("\n"),
);
process.exit(1);
