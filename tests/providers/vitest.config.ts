import { defineConfig, mergeConfig } from "vitest/config";
import base from "../../vitest.config";
import { TEST_CA_ENV } from "../support/fakes/tls";

// The provider tests with the test CA trusted the way production trusts a private CA: through
// NODE_EXTRA_CA_CERTS (and GRPC_DEFAULT_SSL_ROOTS_FILE_PATH for grpc-js), read only at start-up.
// Vitest 4 hands `test.env` to the worker processes it forks, so they start with them.
// Run: npx vitest run --config tests/providers/vitest.config.ts
const config = mergeConfig(base, defineConfig({ test: { env: TEST_CA_ENV } }));
// mergeConfig concatenates arrays: replace the include list rather than add to it.
config.test = { ...config.test, include: ["tests/providers/**/*.test.ts"] };
export default config;
