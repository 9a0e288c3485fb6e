/**
 * Writes the OpenAPI document the server publishes at /api/openapi.json to a file (default
 * .cache/openapi.json), for linting and for generating clients without a running server.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { buildOpenApi } from "@/lib/openapi/build-openapi";

const out = process.argv[2] ?? ".cache/openapi.json";
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log(`OpenAPI document written to ${out}`);
