import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      "@provenance/client": path.join(root, "client/src/index.ts"),
      "server-only": path.join(root, "tests/support/server-only-stub.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "client/src/**/*.test.ts", "tests/**/*.test.ts"],
    // These need the built app: they run in tests/api/vitest.config.ts after `npm run build`.
    exclude: ["tests/api/**", "tests/boot/**", "tests/cluster/**", "tests/deploy/**", "tests/faults/**", "node_modules/**"],
    environment: "node",
    testTimeout: 20_000,
    // Each CREATE/DROP DATABASE forces a PostgreSQL checkpoint: on a busy machine a cleanup hook that
    // drops several test databases takes longer than the 10 s default (seen: 11 s for one drop).
    hookTimeout: 60_000,
  },
});
