import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetEnvForTests } from "@/lib/env";

/**
 * For tests of token files: a fresh folder PROVENANCE_TOKEN_FILE_DIRS allows (`allowed`) and one
 * it does not (`outside`). `cleanUp` removes both and the setting.
 */
export function tokenFileDirs(name: string): { allowed: string; outside: string; cleanUp(): void } {
  const allowed = mkdtempSync(path.join(os.tmpdir(), `provenance-${name}-tokens-`));
  const outside = mkdtempSync(path.join(os.tmpdir(), `provenance-${name}-elsewhere-`));
  process.env.PROVENANCE_TOKEN_FILE_DIRS = allowed;
  resetEnvForTests();
  return {
    allowed,
    outside,
    cleanUp() {
      rmSync(allowed, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
      delete process.env.PROVENANCE_TOKEN_FILE_DIRS;
      resetEnvForTests();
    },
  };
}
