#!/usr/bin/env node
// A minimal Prisma generator that writes the DMMF (Prisma's own parsed form of the schema) as JSON
// to the generator's `output` path. tests/db/dmmf.ts runs `prisma generate` with it to learn what
// Prisma expects the database to look like, with no download and no second schema parser.
//
// Protocol (Prisma's generator spec): JSON-RPC requests arrive one per line on stdin; responses are
// written one per line to STDERR (stdout is left for logs).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";

const respond = (message) => process.stderr.write(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n");

readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on("line", (line) => {
  const request = JSON.parse(line);
  try {
    if (request.method === "getManifest") {
      respond({ id: request.id, result: { manifest: { prettyName: "DMMF dump", requiresEngines: [] } } });
    } else if (request.method === "generate") {
      const out = request.params.generator.output?.value;
      if (!out) throw new Error("the dmmf generator needs an `output` path");
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify(request.params.dmmf.datamodel, null, 2));
      respond({ id: request.id, result: null });
    }
  } catch (error) {
    respond({ id: request.id, error: { code: -32000, message: String(error?.stack ?? error), data: null } });
  }
});
