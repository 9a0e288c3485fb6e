import { defineConfig } from "vitest/config";
import base from "../../vitest.config";

/**
 * The HTTP integration suite: the same test files run against a real server on a real SQLite
 * file and against a real server on a PostgreSQL database. `npm run test:api` builds first.
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
    projects: [api("sqlite"), api("postgres")],
  },
});
