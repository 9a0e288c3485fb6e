import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { startVaultFake, type VaultFake } from "../tests/support/fakes/vault";
import { apiPost, expect, serverHtml, test, toasts, uniqueSuffix } from "./support/fixtures";
import { chooseRadio, openConnectionEdit } from "./support/ui";

/**
 * A connection's page puts its status first: the last test (or that it changed since), a Test
 * button whose failures name the stage, the host and what to check, the settings as a summary,
 * and an Edit form with Cancel and an unsaved-changes bar. New connections can be saved and
 * tested in one go.
 */
const TOKEN = "hvs.e2eConnectionPageToken0000001";
const MASK = "••••••••";
let vault: VaultFake;
let closedPort: number;

test.beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [TOKEN]: [""] } });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
test.afterAll(async () => {
  await vault?.close();
});

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  expect(results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))).toEqual([]);
}

test("a failed test names the stage, the host and what to check, once, and is remembered", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const endpoint = `127.0.0.1:${closedPort}`;
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Unreachable Vault ${suffix}`,
    type: "vault",
    config: { vaultUrl: `http://${endpoint}`, token: TOKEN },
  });
  await page.goto(`/settings/secret-providers/${connection.id}`);
  const status = page.getByTestId("connection-status");
  await expect(status).toContainText("Not tested yet");
  await expect(page.getByTestId("connection-type")).toContainText("HashiCorp Vault");

  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByTestId("test-result");
  await expect(result).toHaveAttribute("data-ok", "false");
  await expect(result).toHaveAttribute("data-stage", "tcp");
  await expect(result).toContainText("Failed at TCP connection");
  await expect(result).toContainText(endpoint);
  await expect(result).toContainText(/What to check: .*accepts connections/);
  // The stored result is not shown beside the fresh one: the error is on the page once.
  const message = (await result.locator("p").nth(1).textContent())!;
  expect(message).toContain(`cannot reach ${endpoint}`);
  await expect(page.getByText(message, { exact: true })).toHaveCount(1);
  await expectNoAxeViolations(page);

  // After a reload the stored failure is shown as the fresh one was: stage, host and what to check.
  await page.reload();
  const stored = page.getByTestId("last-failure");
  await expect(stored).toHaveAttribute("data-stage", "tcp");
  await expect(stored).toContainText("Failed at TCP connection");
  await expect(stored).toContainText(endpoint);
  await expect(stored).toContainText(/What to check: .*accepts connections/);
  await expect(status).toContainText("Last tested");
  await expect(page.getByText(message, { exact: true })).toHaveCount(1);
});

test("edit opens a form with Cancel; unsaved edits show a bar and ask before leaving; a save marks the test as out of date", async ({
  page,
  api,
}) => {
  test.setTimeout(180_000);
  const suffix = uniqueSuffix();
  const name = `Edited Vault ${suffix}`;
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name,
    type: "vault",
    description: "Before",
    config: { vaultUrl: vault.url, token: TOKEN },
  });
  const stored = async () =>
    (await (await api.get(`/api/secret-providers/${connection.id}`)).json()) as {
      description: string | null;
      config: Record<string, string>;
    };
  await page.goto(`/settings/secret-providers/${connection.id}`);

  // The summary: plain settings as they are, the token only as Stored.
  const summary = page.getByTestId("config-summary");
  await expect(summary).toContainText(vault.url);
  await expect(summary).toContainText("Stored");
  expect(await serverHtml(page)).not.toContain(TOKEN);

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("test-result")).toHaveAttribute("data-ok", "true");

  // Edit, change, Cancel: nothing is saved, the summary is back.
  await openConnectionEdit(page);
  await expect(page.getByLabel("Connection name")).toBeFocused();
  const actions = page.getByTestId("edit-actions");
  await expect(actions).toHaveAttribute("data-dirty", "false");
  await page.getByLabel("Description").fill("Changed, then cancelled");
  await expect(actions).toHaveAttribute("data-dirty", "true");
  await expect(actions).toContainText("You have unsaved changes.");
  await expectNoAxeViolations(page);

  // Leaving with unsaved edits asks first: the page cancels beforeunload (the browser then asks).
  const asksBeforeLeaving = () => page.evaluate(() => !window.dispatchEvent(new Event("beforeunload", { cancelable: true })));
  expect(await asksBeforeLeaving()).toBe(true);

  await actions.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { name: "Configuration" })).toBeVisible();
  await expect(page.getByRole("button", { name: `Edit ${name}` })).toBeFocused();
  expect((await stored()).description).toBe("Before");
  expect(await asksBeforeLeaving()).toBe(false);

  // Saved: the last test was of the old settings, and the page says so.
  await openConnectionEdit(page);
  await page.getByLabel("KV version").selectOption("1");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  await expect(page.getByTestId("connection-status")).toContainText("Not tested since the last change");
  await expect(summary).toContainText("KV version");
  expect((await stored()).config).toEqual({ vaultUrl: vault.url, token: "••••••••", kvVersion: "1" });

  // Testing again makes it current.
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("test-result")).toHaveAttribute("data-ok", "true");
  await page.reload();
  await expect(page.getByTestId("connection-status")).toContainText("Connected");
  await expect(page.getByTestId("connection-status")).not.toContainText("since the last change");

  // Save & test from the edit form: saved, then tested at once.
  await openConnectionEdit(page);
  await page.getByLabel("KV version").selectOption("2");
  await page.getByRole("button", { name: "Save & test" }).click();
  await expect(page.getByTestId("test-result")).toHaveAttribute("data-ok", "true");
  await expect(page).toHaveURL(new RegExp(`/settings/secret-providers/${connection.id}$`));
});

test("Save & test on a new connection creates it and shows the test result on its page", async ({ page }) => {
  const name = `Saved and tested ${uniqueSuffix()}`;
  await page.goto("/settings/secret-providers/new");
  await page.getByLabel("Connection name").fill(name);
  await chooseRadio(page, /HashiCorp Vault/);
  await page.getByLabel("Vault URL").fill(vault.url);
  await page.getByLabel("Vault Token").fill(TOKEN);
  await page.getByRole("button", { name: "Save & test" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("test-result")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("test-result")).toContainText(/Connected in \d+ ms/);
  // The address loses ?test=1: a reload shows the stored result instead of testing again.
  await expect(page).toHaveURL(/\/settings\/secret-providers\/[^/?]+$/);
  await page.reload();
  await expect(page.getByTestId("connection-status")).toContainText("Connected");
  await expect(page.getByTestId("test-result")).toHaveCount(0);
});

test("the form shows only the chosen sign-in method's fields", async ({ page }) => {
  await page.goto("/settings/secret-providers/new");
  await chooseRadio(page, /HashiCorp Vault/);
  await expect(page.getByLabel("Vault Token")).toBeVisible();
  await expect(page.getByLabel("AppRole role ID")).toHaveCount(0);
  await page.getByLabel("Auth method").selectOption("approle");
  await expect(page.getByLabel("Vault Token")).toHaveCount(0);
  await expect(page.getByLabel("AppRole role ID")).toBeVisible();
  await expect(page.getByLabel("AppRole secret ID")).toBeVisible();
  await expect(page.getByLabel("JWT file")).toHaveCount(0);
  await page.getByLabel("Auth method").selectOption("kubernetes");
  await expect(page.locator("#config-role")).toBeVisible();
  await expect(page.getByLabel("AppRole role ID")).toHaveCount(0);

  // AWS and Azure have no auth method setting: "Sign in with" is the form's own choice.
  await chooseRadio(page, /Azure Key Vault/);
  const signIn = page.getByLabel("Sign in with");
  await expect(signIn).toHaveValue("secret");
  await expect(page.getByLabel("Client Secret")).toBeVisible();
  await expect(page.getByLabel("Federated token file")).toHaveCount(0);
  await signIn.selectOption({ label: "Workload identity (keyless)" });
  await expect(page.getByLabel("Federated token file")).toBeVisible();
  await expect(page.getByLabel("Client ID")).toBeVisible();
  await expect(page.getByLabel("Client Secret")).toHaveCount(0);
  await signIn.selectOption({ label: "Managed identity or the server's default credentials" });
  await expect(page.getByLabel("Client ID")).toHaveCount(0);
  await expect(page.getByLabel("Tenant ID")).toHaveCount(0);
  await expect(page.getByLabel("Vault URL")).toBeVisible();

  await chooseRadio(page, /AWS Secrets Manager/);
  await expect(signIn).toHaveValue("keys");
  await expect(page.getByLabel("Access Key ID")).toBeVisible();
  await expect(page.getByLabel("Role ARN")).toHaveCount(0);
  await signIn.selectOption({ label: "Assume a role" });
  await expect(page.getByLabel("Role ARN")).toBeVisible();
  await expect(page.getByLabel("External ID")).toBeVisible();
  await expect(page.getByLabel("Access Key ID")).toBeVisible();
  await expect(page.getByLabel("Web identity token file")).toHaveCount(0);
  await signIn.selectOption({ label: "Web identity token (keyless)" });
  await expect(page.getByLabel("Web identity token file")).toBeVisible();
  await expect(page.getByLabel("Access Key ID")).toHaveCount(0);
  await expect(page.getByLabel("External ID")).toHaveCount(0);
});

test("AWS: the sign-in way is chosen on create, read back on edit, and a change removes the old way's settings", async ({ page, api }) => {
  const name = `AWS sign-in ${uniqueSuffix()}`;
  const roleArn = "arn:aws:iam::123456789012:role/e2e-sign-in";
  const keyId = "AKIAE2EEXAMPLE00009";
  const secretKey = "e2e-aws-secret-access-key-0009";
  await page.goto("/settings/secret-providers/new");
  await page.getByLabel("Connection name").fill(name);
  await chooseRadio(page, /AWS Secrets Manager/);
  await page.getByLabel("Region").fill("eu-west-1");
  const signIn = page.getByLabel("Sign in with");
  await signIn.selectOption({ label: "Assume a role" });
  // The chosen way asks for what it cannot do without: without a role it would be the default chain.
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page.locator("#config-roleArn-error")).toHaveText("Role ARN is required to sign in with “Assume a role”");
  await page.getByLabel("Role ARN").fill(roleArn);
  await page.getByLabel("External ID").fill("e2e-external-1");
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("sign-in-method")).toHaveText("Assume a role");
  const id = /\/settings\/secret-providers\/([^/?]+)/.exec(page.url())![1]!;
  const storedConfig = async () =>
    ((await (await api.get(`/api/secret-providers/${id}`)).json()) as { config: Record<string, string> }).config;
  await expect.poll(storedConfig).toEqual({ region: "eu-west-1", roleArn, externalId: "e2e-external-1" });

  // Edit starts from the way the stored settings sign in; another way says what saving removes.
  await openConnectionEdit(page);
  await expect(signIn).toHaveValue("role");
  await expect(page.getByLabel("Role ARN")).toHaveValue(roleArn);
  await signIn.selectOption({ label: "Access keys" });
  await expect(page.getByLabel("Role ARN")).toHaveCount(0);
  await expect(page.getByTestId("sign-in-clearing")).toContainText("Saving removes the stored Role ARN, External ID");
  await page.getByLabel("Access Key ID").fill(keyId);
  await page.getByLabel("Secret Access Key").fill(secretKey);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  await expect.poll(storedConfig).toEqual({ region: "eu-west-1", accessKeyId: MASK, secretAccessKey: MASK });
  await expect(page.getByTestId("sign-in-method")).toHaveText("Access keys");

  // Back to the role: the stored keys stay (they sign the AssumeRole), shown as stored, not as values.
  await openConnectionEdit(page);
  await expect(signIn).toHaveValue("keys");
  await signIn.selectOption({ label: "Assume a role" });
  await expect(page.getByTestId("sign-in-clearing")).toHaveCount(0);
  await expect(page.getByLabel("Access Key ID")).toHaveValue(MASK);
  await page.getByLabel("Role ARN").fill(roleArn);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  await expect.poll(storedConfig).toEqual({ region: "eu-west-1", roleArn, accessKeyId: MASK, secretAccessKey: MASK });

  // The server's own credentials: every stored sign-in setting goes.
  await openConnectionEdit(page);
  await signIn.selectOption({ label: "The server's default credentials" });
  await expect(page.getByTestId("sign-in-clearing")).toContainText("Access Key ID, Secret Access Key, Role ARN");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  await expect.poll(storedConfig).toEqual({ region: "eu-west-1" });
  await expect(page.getByTestId("sign-in-method")).toHaveText("The server's default credentials");
  const html = await serverHtml(page);
  expect(html).not.toContain(secretKey);
  expect(html).not.toContain(keyId);
});

test("a GCP key file can be picked; the page then shows its service account, never the key", async ({ page }) => {
  const name = `GCP upload ${uniqueSuffix()}`;
  const email = "uploader@e2e-project-123.iam.gserviceaccount.com";
  const privateKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCuploadE2E\n-----END PRIVATE KEY-----\n";
  const key = JSON.stringify({ type: "service_account", project_id: "e2e-project-123", client_email: email, private_key: privateKey });
  await page.goto("/settings/secret-providers/new");
  await page.getByLabel("Connection name").fill(name);
  await chooseRadio(page, /GCP Secret Manager/);
  await page.getByLabel("Project ID").fill("e2e-project-123");
  await page.getByLabel("Choose file…").setInputFiles({ name: "key.json", mimeType: "application/json", buffer: Buffer.from(key) });
  await expect(page.getByText(`Loaded key.json: service account ${email}.`)).toBeVisible();
  await expect(page.getByLabel("Service Account JSON")).toHaveValue(key);
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("credential-fact")).toHaveText(email);
  expect(await serverHtml(page)).not.toContain("uploadE2E");
});

test("on a 390 px phone the status and the Test button are on the first screen", async ({ page, api }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Phone Vault ${uniqueSuffix()}`,
    type: "vault",
    description: "Checked on a phone",
    config: { vaultUrl: vault.url, token: TOKEN },
  });
  await page.goto(`/settings/secret-providers/${connection.id}`);
  await expect(page.getByRole("button", { name: "Test connection" })).toBeInViewport();
  await expect(page.getByTestId("connection-status")).toBeInViewport();
});

// Screenshots for people to look at, only when asked for (CONNECTION_SCREENSHOTS_DIR).
test("screenshots of the connection page at desktop and phone widths", async ({ page, api }) => {
  const dir = process.env.CONNECTION_SCREENSHOTS_DIR;
  test.skip(!dir, "set CONNECTION_SCREENSHOTS_DIR to take them");
  test.setTimeout(240_000);
  mkdirSync(dir!, { recursive: true });
  const suffix = uniqueSuffix();
  const working = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Staging Vault ${suffix}`,
    type: "vault",
    description: "KV v2 on the staging cluster",
    config: { vaultUrl: vault.url, token: TOKEN, namespace: "admin/team-a" },
    allowedProviderPaths: ["secret/staging/**"],
  });
  const broken = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Old Vault ${suffix}`,
    type: "vault",
    description: "Decommissioned cluster",
    config: { vaultUrl: `http://127.0.0.1:${closedPort}`, token: TOKEN },
  });
  for (const [label, viewport] of [
    ["desktop", { width: 1280, height: 800 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.goto(`/settings/secret-providers/${working.id}`);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("test-result")).toHaveAttribute("data-ok", "true");
    await page.screenshot({ path: path.join(dir!, `connection-${label}.png`), fullPage: true });
    if (label === "phone") await page.screenshot({ path: path.join(dir!, `connection-${label}-first-screen.png`) });

    await page.goto(`/settings/secret-providers/${broken.id}`);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("test-result")).toHaveAttribute("data-ok", "false");
    await page.screenshot({ path: path.join(dir!, `connection-failed-${label}.png`), fullPage: label === "desktop" });

    await page.goto(`/settings/secret-providers/${working.id}`);
    await openConnectionEdit(page);
    await page.getByLabel("Description").fill("KV v2 on the staging cluster (edited)");
    await page.screenshot({ path: path.join(dir!, `connection-edit-${label}.png`), fullPage: true });
    await page.getByTestId("edit-actions").getByRole("button", { name: "Cancel" }).click();
  }
});
