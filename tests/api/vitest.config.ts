import { defineConfig } from "vitest/config";
import base from "../../vitest.config";

/**
 * The integration suite, on the built app (`npm run test:api` builds first): the same HTTP test
 * files against a real server on a real SQLite file and on a PostgreSQL database, and the
 * start-up and CLI tests.
 * Built from the base config's aliases only: merging would keep its exclusion of tests/api.
 */
const api = (name: "sqlite" | "postgres") => ({
  resolve: base.resolve,
  test: {
    name,
    environment: "node" as const,
    include: ["tests/api/**/*.test.ts"],
    globalSetup: ["tests/api/global-setup.ts"],
    env: { PROVENANCE_TEST_DATABASE: name },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    // One server per database; files run one after another against it.
    fileParallelism: false,
    projects: [
      api("sqlite"),
      api("postgres"),
      // Start-up and CLI behaviour: each test starts its own server or CLI process.
      { resolve: base.resolve, test: { name: "start-up", environment: "node" as const, include: ["tests/boot/**/*.test.ts", "tests/cluster/**/*.test.ts", "tests/deploy/**/*.test.ts", "tests/faults/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
