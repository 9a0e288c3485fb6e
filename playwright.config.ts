import { defineConfig } from "@playwright/test";
import { ADMIN_STATE } from "./e2e/support/paths";

/**
 * Browser tests against the BUILT app (`npm run build` first): e2e/support/global-setup.ts starts
 * `next start` on a free port with a fresh SQLite database, a random master key, insecure provider
 * URLs allowed (the wire-protocol fakes speak plain HTTP) and no admin variables, so the first
 * project walks the real first-run path. Chromium is Debian's (scripts/ensure-chromium.sh).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  // Not test-results itself: Playwright empties its output folder, and the integration suite's
  // leak-scan artefacts (test-results/leak-scan) must survive until `npm run test:leaks`.
  outputDir: "test-results/playwright",
  globalSetup: "./e2e/support/global-setup.ts",
  fullyParallel: false,
  // One server, one SQLite file: two workers keep it busy without making timings flaky.
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Generous: CI machines have 2 cores and the server shares them with the browser.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    // Creates the first admin through /setup with the code from the server log; saves the session.
    { name: "first-run", testMatch: /first-run\.setup\.ts$/ },
    { name: "dashboard", testMatch: /\.spec\.ts$/, dependencies: ["first-run"], use: { storageState: ADMIN_STATE } },
  ],
});
