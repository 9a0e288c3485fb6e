import path from "node:path";

/** Where the browser tests keep what they share between processes (gitignored: e2e/.auth/). */
export const ROOT = path.resolve(__dirname, "../..");
export const AUTH_DIR = path.join(ROOT, "e2e/.auth");
/** The first admin's signed-in browser state, reused by every dashboard test. */
export const ADMIN_STATE = path.join(AUTH_DIR, "admin.json");
/** The running server: base URL and log file (written by global-setup). */
export const SERVER_STATE = path.join(AUTH_DIR, "server.json");
/** An admin API token the tests seed their data with (made by the first-run test). */
export const SEED_TOKEN = path.join(AUTH_DIR, "seed-token.json");
export const ARTIFACTS_DIR = path.join(ROOT, "e2e/artifacts");
