import { expect, test, toasts, serverHtml, uniqueSuffix } from "./support/fixtures";
import { chooseRadio, openConnectionEdit } from "./support/ui";

const SERVICE_ACCOUNT = JSON.stringify({
  type: "service_account",
  project_id: "e2e-project-123",
  client_email: "e2e@e2e-project-123.iam.gserviceaccount.com",
  private_key: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
});

const TYPES = [
  {
    type: "aws-sm",
    name: "AWS Secrets Manager",
    fields: [
      { label: "Region", value: "eu-west-1", required: true, input: "text" },
      { label: "Access Key ID", value: "AKIAE2EEXAMPLE00001", required: false, input: "password" },
      { label: "Secret Access Key", value: "e2e-aws-secret-access-key-0001", required: false, input: "password" },
    ],
    secretValues: ["AKIAE2EEXAMPLE00001", "e2e-aws-secret-access-key-0001"],
  },
  {
    type: "azure-kv",
    name: "Azure Key Vault",
    fields: [
      { label: "Vault URL", value: "https://e2e-vault.vault.azure.net", required: true, input: "url" },
      { label: "Tenant ID", value: "72f988bf-86f1-41af-91ab-2d7cd011db47", required: false, input: "text" },
      { label: "Client ID", value: "0b3c5a6e-1f2d-4e5f-8a9b-0c1d2e3f4a5b", required: false, input: "text" },
      { label: "Client Secret", value: "e2e-azure-client-secret-0001", required: false, input: "password" },
    ],
    secretValues: ["e2e-azure-client-secret-0001"],
  },
  {
    type: "gcp-sm",
    name: "GCP Secret Manager",
    fields: [
      { label: "Project ID", value: "e2e-project-123", required: true, input: "text" },
      { label: "Service Account JSON", value: SERVICE_ACCOUNT, required: false, input: "textarea" },
    ],
    secretValues: ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"],
  },
  {
    type: "vault",
    name: "HashiCorp Vault",
    fields: [
      { label: "Vault URL", value: "https://vault.example.com", required: true, input: "url" },
      { label: "Vault Token", value: "hvs.e2eTokenForTheVaultForm0001", required: true, input: "password" },
      { label: "Namespace", value: "admin/team-a", required: false, input: "text" },
    ],
    secretValues: ["hvs.e2eTokenForTheVaultForm0001"],
  },
] as const;

test("+ New Connection creates a connection of each type from its definition's fields", async ({ page }) => {
  test.setTimeout(180_000); // four connections through the whole form
  const suffix = uniqueSuffix();
  for (const spec of TYPES) {
    const name = `${spec.name} ${suffix}`;
    await page.goto("/settings/secret-providers");
    await page.getByRole("link", { name: "New Connection" }).first().click();
    await expect(page.getByRole("heading", { name: "New connection" })).toBeVisible();

    // 1. name, 2. type: choosing it renders that type's fields, 3. fill them, 4. description, 5. Create.
    await page.getByLabel("Connection name").fill(name);
    await chooseRadio(page, new RegExp(spec.name));
    for (const field of spec.fields) {
      const control = page.getByLabel(field.label).first();
      await expect(control).toBeVisible();
      if (field.input === "textarea") await expect(control).toHaveJSProperty("tagName", "TEXTAREA");
      else await expect(control).toHaveAttribute("type", field.input);
      if (field.required) await expect(control).toHaveAttribute("aria-required", "true");
      await control.fill(field.value);
    }
    await page.getByLabel("Description").fill(`Created by the e2e test for ${spec.type}`);
    await page.getByRole("button", { name: "Create connection" }).click();

    // The toast first: it is shown when the connection is saved, and may be gone by the time a slow machine has rendered the page.
    await expect(toasts(page)).toContainText(`Connection “${name}” created`);
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page).toHaveURL(/\/settings\/secret-providers\/[^/]+$/);

    // Sensitive fields come back masked; the credentials are not in the page the server sent.
    const html = await serverHtml(page);
    for (const secret of spec.secretValues) expect(html).not.toContain(secret);
  }

  await page.goto("/settings/secret-providers");
  for (const spec of TYPES) {
    const row = page.getByRole("row", { name: new RegExp(`${spec.name} ${suffix}`) });
    await expect(row).toContainText(spec.name);
    await expect(row).toContainText(`Created by the e2e test for ${spec.type}`);
    await expect(row).toContainText("Never tested");
  }
});

test("the connection form checks fields as the API does, and shows server errors on their fields", async ({ page, api }) => {
  const taken = `Taken name ${uniqueSuffix()}`;
  const created = await api.post("/api/secret-providers", {
    data: { name: taken, type: "vault", config: { vaultUrl: "https://vault.example.com", token: "hvs.x" } },
  });
  expect(created.status()).toBe(201);

  await page.goto("/settings/secret-providers/new");
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page.locator("#name-error")).toHaveText("Name is required");
  await expect(page.locator("#type-error")).toHaveText("Choose a provider type");
  // Only those two, on their fields: no banner with the schema's own words about config members.
  await expect(page.locator("[data-banner]")).toHaveCount(0);
  await expect(page.getByText(/Invalid input|expected record|received undefined/)).toHaveCount(0);

  await chooseRadio(page, /AWS Secrets Manager/);
  await page.getByLabel("Region").fill("nowhere");
  await page.getByLabel("Access Key ID").fill("AKIAE2EEXAMPLE00002");
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page.locator("#config-region-error")).toHaveText("Must be an AWS region such as eu-west-1");
  await expect(page.locator("#config-secretAccessKey-error")).toHaveText("Secret Access Key is required when Access Key ID is set");
  await expect(page.getByLabel("Region")).toHaveAttribute("aria-describedby", /config-region-error/);

  // Valid in the browser, refused by the server: its field error lands on the field.
  await page.getByLabel("Region").fill("eu-west-1");
  await page.getByLabel("Secret Access Key").fill("secret");
  await page.getByLabel("Connection name").fill(taken);
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page.locator("#name-error")).toHaveText("Already taken");
  await expect(page).toHaveURL(/\/new$/);
});

test("the connection form shows and edits allowedProviderPaths, one pattern per line", async ({ page, api }) => {
  const created = await api.post("/api/secret-providers", {
    data: { name: `Fenced ${uniqueSuffix()}`, type: "vault", config: { vaultUrl: "https://vault.example.com", token: "hvs.e2e-fence" } },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await page.goto(`/settings/secret-providers/${id}`);
  await expect(page.getByTestId("config-summary")).toContainText("Any path");
  await openConnectionEdit(page);
  const paths = page.getByLabel("Allowed provider paths");
  await expect(paths).toHaveValue("");
  await paths.fill("secret/payments/**\nsecret/**/x");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#allowedProviderPaths-error")).toHaveText(/^Line 2: \*\* is allowed only as the last segment/);

  await paths.fill("secret/payments/**\n\n/secret/shared/*/");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText("Saved");
  const stored = (await (await api.get(`/api/secret-providers/${id}`)).json()) as { allowedProviderPaths: string[] | null };
  expect(stored.allowedProviderPaths).toEqual(["secret/payments/**", "secret/shared/*"]);
  await page.reload();
  await expect(page.getByTestId("config-summary")).toContainText("secret/payments/**, secret/shared/*");
  await openConnectionEdit(page);
  await expect(page.getByLabel("Allowed provider paths")).toHaveValue("secret/payments/**\nsecret/shared/*");

  await page.getByLabel("Allowed provider paths").fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText("Saved");
  expect(
    ((await (await api.get(`/api/secret-providers/${id}`)).json()) as { allowedProviderPaths: unknown }).allowedProviderPaths,
  ).toBeNull();
});
