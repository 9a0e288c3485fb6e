import { defineConfig } from "vitest/config";
import base from "../../vitest.config";

/**
 * The integration suite, on the built app (`npm run test:api` builds first): the same HTTP test
 * files against a real server on a real SQLite file and on a PostgreSQL database, the resolve
 * tests once more through Next's route handler instead of the fast path, and the start-up and
 * CLI tests.
 * Built from the base config's aliases only: merging would keep its exclusion of tests/api.
 */
const api = (name: "sqlite" | "postgres" | "route-handler", include = ["tests/api/**/*.test.ts"]) => ({
  resolve: base.resolve,
  test: {
    name,
    environment: "node" as const,
    include,
    globalSetup: ["tests/api/global-setup.ts"],
    env: { PROVENANCE_TEST_DATABASE: name === "postgres" ? "postgres" : "sqlite" },
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
      // Bearer-token resolves take the fast path in front of Next on the two projects above; here
      // the same resolve tests go through Next's route handler (what serverless hosts run).
      api("route-handler", [
        "tests/api/fast-path.test.ts",
        "tests/api/watch.test.ts",
        "tests/api/external-secrets.test.ts",
        "tests/api/secrets.test.ts",
        "tests/api/trust-scope.test.ts",
        "tests/api/trust-tokens.test.ts",
        "tests/api/auth-matrix.test.ts",
        "tests/api/abuse.test.ts",
        "tests/api/versions.test.ts",
        "tests/api/usage.test.ts",
      ]),
      // Start-up and CLI behaviour: each test starts its own server or CLI process.
      {
        resolve: base.resolve,
        test: {
          name: "start-up",
          environment: "node" as const,
          include: ["tests/boot/**/*.test.ts", "tests/cluster/**/*.test.ts", "tests/deploy/**/*.test.ts", "tests/faults/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
