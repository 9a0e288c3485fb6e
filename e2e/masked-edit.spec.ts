import { startVaultFake, type VaultFake } from "../tests/support/fakes/vault";
import { apiPost, expect, serverHtml, test, toasts, uniqueSuffix } from "./support/fixtures";
import { chooseRadio, openConnectionEdit } from "./support/ui";

const MASK = "••••••••";
const FIRST = "hvs.e2eFirstVaultToken000000000001";
const SECOND = "hvs.e2eSecondVaultToken00000000002";

let vault: VaultFake;

test.beforeAll(async () => {
  // Vault's real HTTP API on 127.0.0.1; it records every request, X-Vault-Token included.
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [FIRST]: [""], [SECOND]: [""] } });
  vault.putSecret("secret/e2e/db", { password: "pw-from-vault", user: "app" });
});

test.afterAll(async () => {
  await vault?.close();
});

/** The token Vault received with the latest read of the e2e secret. */
function lastTokenSeen(): string | undefined {
  const reads = vault.requests.filter((r) => r.path.startsWith("/v1/secret/data/e2e/db"));
  return reads.at(-1)?.headers["x-vault-token"] as string | undefined;
}

test("editing a connection keeps a masked credential, and replaces it when retyped", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const name = `Vault masked ${suffix}`;

  await page.goto("/settings/secret-providers/new");
  await page.getByLabel("Connection name").fill(name);
  await chooseRadio(page, /HashiCorp Vault/);
  await page.getByLabel("Vault URL").fill(vault.url);
  await page.getByLabel("Vault Token").fill(FIRST);
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const connectionId = page.url().split("/").at(-1)!;

  const secretPath = `e2e.masked${suffix}.password`;
  await apiPost(api, "/api/secrets", {
    secretPath,
    provider: "vault",
    providerPath: "secret/e2e/db",
    secretProviderId: connectionId,
    providerConfig: { jsonKey: "password", cacheTtlSeconds: 0 },
  });
  const resolve = async () => {
    const response = await api.get(`/api/secrets/resolve?path=${secretPath}`);
    expect(response.status()).toBe(200);
    return ((await response.json()) as { value: string }).value;
  };
  expect(await resolve()).toBe("pw-from-vault");
  expect(lastTokenSeen()).toBe(FIRST);

  // The edit form: the stored token reads as the mask, the type is shown and cannot change.
  await openConnectionEdit(page);
  const token = page.getByLabel("Vault Token");
  await expect(token).toHaveValue(MASK);
  await expect(token).toHaveAttribute("type", "password");
  await expect(page.getByTestId("connection-type")).toContainText("HashiCorp Vault");
  await expect(page.getByRole("radio")).toHaveCount(0);
  expect(await serverHtml(page)).not.toContain(FIRST);

  // Saved with the mask left as is: the stored token is kept.
  await page.getByLabel("Description").fill("Edited, token untouched");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  await openConnectionEdit(page);
  await expect(token).toHaveValue(MASK);
  expect(await resolve()).toBe("pw-from-vault");
  expect(lastTokenSeen()).toBe(FIRST);

  // Cleared and retyped: the new token replaces it.
  await token.fill("");
  await token.fill(SECOND);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  await openConnectionEdit(page);
  await expect(token).toHaveValue(MASK);
  expect(await resolve()).toBe("pw-from-vault");
  expect(lastTokenSeen()).toBe(SECOND);

  // Clearing a required credential is refused on its field.
  await token.fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#config-token-error")).toHaveText("Vault Token is required");

  // The audit log names what each save changed: the description, then the token (never its value).
  await page.goto(`/audit?action=secret_provider.update&target=${encodeURIComponent(name)}`);
  const events = page.getByTestId("audit-event");
  await expect(events).toHaveCount(2);
  await expect(events.nth(0)).toContainText("changed: config.token");
  await expect(events.nth(1)).toContainText("changed: description");
  await expect(events.nth(1)).not.toContainText("config.token");
  expect(await page.content()).not.toContain(SECOND);
});

test("testing a connection shows latency, and version + fingerprint for a path, or the upstream error", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Vault test ${suffix}`,
    type: "vault",
    config: { vaultUrl: vault.url, token: FIRST },
  });
  await page.goto(`/settings/secret-providers/${connection.id}`);
  const result = page.getByTestId("test-result");

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toHaveAttribute("data-ok", "true");
  await expect(result).toContainText(/Connected in \d+ ms/);

  await page.getByText("Test by reading a secret").click();
  await page.getByLabel("Secret path to read").fill("secret/e2e/db");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toContainText(/Connected in \d+ ms/);
  await expect(result).toContainText("Version");
  await expect(result).toContainText("1");
  await expect(result).toContainText("Fingerprint");
  await expect(result).not.toContainText("pw-from-vault");

  await page.getByLabel("Secret path to read").fill("secret/e2e/missing");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toHaveAttribute("data-ok", "false");
  await expect(result).toHaveAttribute("data-stage", "not_found");
  await expect(result).toContainText("Failed at Not found");
  await expect(result).toContainText(/HashiCorp Vault.*(not found|secret\/e2e\/missing)/i);

  // The last result is remembered on the list.
  await page.goto("/settings/secret-providers");
  await expect(page.getByRole("row", { name: new RegExp(`Vault test ${suffix}`) })).toContainText("Failed");
});

test("a stored credential says what saving will do, with Replace and Keep stored, and an empty one is never sent by accident", async ({
  page,
  api,
}) => {
  const suffix = uniqueSuffix();
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Vault keep ${suffix}`,
    type: "vault",
    config: { vaultUrl: "https://vault.example.com", token: FIRST },
  });
  await page.goto(`/settings/secret-providers/${connection.id}`);
  await openConnectionEdit(page);
  const token = page.getByLabel("Vault Token");
  const note = page.locator("#config-token-hint [data-credential-state]");
  await expect(token).toHaveValue(MASK);
  await expect(note).toHaveAttribute("data-credential-state", "keep");
  await expect(note).toContainText("saving keeps it");

  // Replace empties the field for the new value and says so; Keep stored brings the mask back.
  await note.getByRole("button", { name: "Replace" }).click();
  await expect(token).toHaveValue("");
  await expect(token).toBeFocused();
  await expect(note).toHaveAttribute("data-credential-state", "cleared");
  await expect(note).not.toContainText("leave it as is");
  await note.getByRole("button", { name: "Keep stored" }).click();
  await expect(token).toHaveValue(MASK);
  await token.fill("hvs.typedButNotWanted");
  await expect(note).toHaveAttribute("data-credential-state", "replace");
  await expect(note).toContainText("Saving replaces the stored Vault Token");
  await note.getByRole("button", { name: "Keep stored" }).click();
  await expect(token).toHaveValue(MASK);

  // KV version is a choice from the schema's options, not free text.
  const kvVersion = page.getByLabel("KV version");
  await expect(kvVersion.locator("option")).toHaveText(["Default (2)", "1", "2", "auto"]);
  await kvVersion.selectOption("auto");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “Vault keep ${suffix}”`);
  const saved = (await (await api.get(`/api/secret-providers/${connection.id}`)).json()) as { config: Record<string, string> };
  expect(saved.config).toEqual({ vaultUrl: "https://vault.example.com", token: MASK, kvVersion: "auto" });
});

test("an optional stored credential is deleted only after Delete stored value", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const name = `AWS keys ${suffix}`;
  // Assuming a role, the keys are optional (without them the server's own credentials sign the AssumeRole).
  const roleArn = "arn:aws:iam::123456789012:role/e2e-reader";
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name,
    type: "aws-sm",
    config: { region: "eu-west-1", roleArn, accessKeyId: "AKIAE2EEXAMPLE00003", secretAccessKey: "e2e-aws-secret-access-key-0003" },
  });
  const storedConfig = async () =>
    ((await (await api.get(`/api/secret-providers/${connection.id}`)).json()) as { config: Record<string, string> }).config;
  await page.goto(`/settings/secret-providers/${connection.id}`);
  await openConnectionEdit(page);
  const keyId = page.getByLabel("Access Key ID");
  const secretKey = page.getByLabel("Secret Access Key");

  // Emptied without a choice: nothing is sent, each field asks what to do.
  await keyId.fill("");
  await secretKey.fill("");
  await expect(page.locator("#config-accessKeyId-hint")).toContainText("keep the stored one, or delete it");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#config-accessKeyId-error")).toHaveText("Type a new value, or choose Keep stored or Delete stored value");
  await expect(page.locator("#config-secretAccessKey-error")).toHaveText("Type a new value, or choose Keep stored or Delete stored value");
  expect(await storedConfig()).toEqual({ region: "eu-west-1", roleArn, accessKeyId: MASK, secretAccessKey: MASK });

  // Chosen: both are deleted (the role is then assumed with the default credential chain).
  await page.locator("#config-accessKeyId-hint").getByRole("button", { name: "Delete stored value" }).click();
  await page.locator("#config-secretAccessKey-hint").getByRole("button", { name: "Delete stored value" }).click();
  await expect(page.locator("#config-accessKeyId-hint")).toContainText("will be deleted when you save");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  expect(await storedConfig()).toEqual({ region: "eu-west-1", roleArn });
});
