import { defineConfig, mergeConfig } from "vitest/config";
import base from "../../vitest.config";

/**
 * The HTTP integration suite: the same test files run against a real server on a real SQLite
 * file and against a real server on a PostgreSQL database. `npm run test:api` builds first.
 */
const api = (name: "sqlite" | "postgres") => ({
  extends: true as const,
  test: {
    name,
    include: ["tests/api/**/*.test.ts"],
    exclude: [],
    globalSetup: ["tests/api/global-setup.ts"],
    env: { PROVENANCE_TEST_DATABASE: name },
  },
});

export default mergeConfig(
  base,
  defineConfig({
    test: {
      testTimeout: 30_000,
      hookTimeout: 120_000,
      // One server per database; files run one after another against it.
      fileParallelism: false,
      projects: [api("sqlite"), api("postgres")],
    },
  }),
);
