#!/usr/bin/env node
// The `provenance` command of @provenance/client (remote mode only; see main.ts).
import { say } from "./terminal.js";
import { main } from "./main.js";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`provenance: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
