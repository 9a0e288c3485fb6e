import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Prisma's own parsed form of a committed schema (its DMMF datamodel), so that the drift test
 * compares the database with what Prisma expects rather than with a second, home-made parser.
 *
 * How, with no download: `prisma generate` hands the DMMF to every generator of a schema, so we
 * copy the committed schema to a temp folder, add a tiny generator (./dmmf-generator.mjs) that
 * writes it to a file, and run only that generator (`--generator dmmf`).
 */

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

export interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  fields: { name: string }[];
}

export interface Datamodel {
  models: DmmfModel[];
  indexes: DmmfIndex[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..", "..");

export function loadDatamodel(provider: "sqlite" | "postgres"): Datamodel {
  const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-dmmf-"));
  try {
    const out = path.join(dir, "dmmf.json");
    const generator = path.join(here, "dmmf-generator.mjs");
    const schema =
      readFileSync(path.join(root, "prisma", provider, "schema.prisma"), "utf8") +
      `\ngenerator dmmf {\n  provider = ${JSON.stringify(`node "${generator}"`)}\n  output   = ${JSON.stringify(out)}\n}\n`;
    const schemaFile = path.join(dir, "schema.prisma");
    writeFileSync(schemaFile, schema);

    const cliPackage = createRequire(import.meta.url).resolve("prisma/package.json");
    const bin = (JSON.parse(readFileSync(cliPackage, "utf8")) as { bin: { prisma: string } }).bin.prisma;
    const cli = path.join(path.dirname(cliPackage), bin);
    const result = spawnSync(process.execPath, [cli, "generate", "--schema", schemaFile, "--generator", "dmmf"], {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts", "prisma-schema-engine-unavailable.mjs"),
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
    });
    if (result.status !== 0) {
      throw new Error(`prisma generate (dmmf) failed:\n${result.stdout}\n${result.stderr}`);
    }
    return JSON.parse(readFileSync(out, "utf8")) as Datamodel;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
