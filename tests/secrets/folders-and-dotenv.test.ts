import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db, disconnectDb } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { importDotenv, previewDotenvImport } from "@/lib/secrets/import-dotenv";
import { listSecretFolder } from "@/lib/secrets/secret-folders";
import { resolveSecret } from "@/lib/secrets/resolve/resolve-secrets";
import { createSecret } from "@/lib/secrets/write-secrets";
import type { TempDatabase } from "../support/databases";
import { newInstall } from "../transfer/support/install";

/**
 * The Secrets page's folder view and .env import, on a real SQLite database: folders group by the
 * next segment with exact counts (a near-miss prefix is not a member), leaves page by cursor, a
 * scope limits both; the import follows `provenance import` and never returns a value.
 */
const editor: Actor = {
  kind: "user",
  id: "u-folders",
  label: "editor@example.test",
  role: "editor",
  scope: null,
  userId: null,
  sourceIp: null,
};
const created: TempDatabase[] = [];

beforeAll(async () => {
  await newInstall("sqlite", created);
  const paths = ["stripe", "stripe.apiKey", "stripe.live.key", "stripe.live.hook", "stripe.test.key", "stripeOld.key", "STRIPE.x", "app.a"];
  for (let i = 0; i < 7; i++) paths.push(`stripe.leaf${i}`);
  for (const secretPath of paths) await createSecret({ actor: editor, input: { secretPath, value: `value-of-${secretPath}` } });
});
afterAll(async () => {
  await disconnectDb();
  await Promise.all(created.splice(0).map((d) => d.drop()));
  resetEnvForTests();
});

describe("folders by prefix", () => {
  it("groups the top level by first segment, with the secrets that sit there", async () => {
    const view = await listSecretFolder({ actor: editor, filter: {}, page: { limit: 50 } });
    expect(view.folders).toEqual([
      { name: "STRIPE", prefix: "STRIPE", count: 1 },
      { name: "app", prefix: "app", count: 1 },
      { name: "stripe", prefix: "stripe", count: 11 },
      { name: "stripeOld", prefix: "stripeOld", count: 1 },
    ]);
    expect(view.page.secrets.map((s) => s.secretPath)).toEqual(["stripe"]);
    expect(view.total).toBe(15);
  });

  it("below a prefix: subfolders with counts, leaves in pages whose cursors walk them exactly once", async () => {
    const first = await listSecretFolder({ actor: editor, filter: { prefix: "stripe." }, page: { limit: 3 } });
    expect(first.prefix).toBe("stripe");
    expect(first.folders).toEqual([
      { name: "live", prefix: "stripe.live", count: 2 },
      { name: "test", prefix: "stripe.test", count: 1 },
    ]);
    expect(first.here).toBe(8);
    const seen = [...first.page.secrets.map((s) => s.secretPath)];
    expect(first.page.previousCursor).toBeNull();
    let cursor = first.page.nextCursor;
    let last = first;
    while (cursor) {
      last = await listSecretFolder({ actor: editor, filter: { prefix: "stripe" }, page: { limit: 3, cursor } });
      expect(last.page.previousCursor).not.toBeNull();
      seen.push(...last.page.secrets.map((s) => s.secretPath));
      cursor = last.page.nextCursor;
    }
    expect(seen).toEqual(["stripe.apiKey", ...Array.from({ length: 7 }, (_, i) => `stripe.leaf${i}`)]);
    const back = await listSecretFolder({
      actor: editor,
      filter: { prefix: "stripe" },
      page: { limit: 3, before: last.page.previousCursor },
    });
    expect(back.page.secrets.map((s) => s.secretPath)).toEqual(["stripe.leaf2", "stripe.leaf3", "stripe.leaf4"]);
  });

  it("a scope limits folders and counts; a bad prefix or cursor is a validation error", async () => {
    const scoped: Actor = { ...editor, scope: "stripe.live.*" };
    const view = await listSecretFolder({ actor: scoped, filter: {}, page: { limit: 50 } });
    expect(view.folders).toEqual([{ name: "stripe", prefix: "stripe", count: 2 }]);
    await expect(listSecretFolder({ actor: editor, filter: { prefix: "a..b" }, page: { limit: 50 } })).rejects.toMatchObject({
      code: "validation_error",
    });
    await expect(listSecretFolder({ actor: editor, filter: {}, page: { limit: 50, cursor: "***" } })).rejects.toMatchObject({
      code: "validation_error",
    });
  });
});

describe(".env import from the dashboard", () => {
  const text = "# legacy\nexport ALPHA=one\nBETA='two words'\napiKey=\"line1\\nline2\"\n";

  it("previews names, paths and sizes (never a value), then imports; fail refuses on an existing path, skip and replace follow the CLI", async () => {
    const preview = await previewDotenvImport({ actor: editor, input: { text, prefix: "legacy.", onConflict: "fail" } });
    expect(preview).toMatchObject({ prefix: "legacy", blocked: false });
    expect(preview.rows).toEqual([
      { name: "ALPHA", secretPath: "legacy.ALPHA", line: 2, bytes: 3, action: "create" },
      { name: "BETA", secretPath: "legacy.BETA", line: 3, bytes: 9, action: "create" },
      { name: "apiKey", secretPath: "legacy.apiKey", line: 4, bytes: 11, action: "create" },
    ]);
    expect(JSON.stringify(preview)).not.toMatch(/one|two words|line1/);

    const done = await importDotenv({ actor: editor, input: { text, prefix: "legacy", onConflict: "fail" } });
    expect(done).toMatchObject({ created: 3, replaced: 0, skipped: 0, failed: 0 });
    expect((await resolveSecret({ actor: editor, path: "legacy.apiKey" })).value).toBe("line1\nline2");

    const next = "ALPHA=changed\nDELTA=four\n";
    const blocked = await previewDotenvImport({ actor: editor, input: { text: next, prefix: "legacy", onConflict: "fail" } });
    expect(blocked.blocked).toBe(true);
    expect(blocked.rows.map((r) => r.action)).toEqual(["blocked", "create"]);
    await expect(importDotenv({ actor: editor, input: { text: next, prefix: "legacy", onConflict: "fail" } })).rejects.toMatchObject({
      code: "validation_error",
    });
    await expect(resolveSecret({ actor: editor, path: "legacy.DELTA" })).rejects.toMatchObject({ code: "not_found" });

    expect(await importDotenv({ actor: editor, input: { text: next, prefix: "legacy", onConflict: "skip" } })).toMatchObject({
      created: 1,
      skipped: 1,
    });
    expect((await resolveSecret({ actor: editor, path: "legacy.ALPHA" })).value).toBe("one");
    expect(await importDotenv({ actor: editor, input: { text: next, prefix: "legacy", onConflict: "replace" } })).toMatchObject({
      created: 0,
      replaced: 2,
    });
    expect((await resolveSecret({ actor: editor, path: "legacy.ALPHA" })).value).toBe("changed");

    const audit = await db().auditEvent.findMany({ where: { action: "secret.import_env" }, orderBy: { at: "asc" } });
    expect(audit.map((e) => e.targetLabel)).toEqual(["legacy", "legacy", "legacy"]);
    expect(audit.map((e) => e.details).join(" ")).not.toMatch(/changed|four/);
  });

  it("refuses a bad file, prefix or conflict rule with field errors that name lines, not values", async () => {
    await expect(
      previewDotenvImport({ actor: editor, input: { text: "OK=1\nBAD.NAME=hidden-value\n", prefix: "x", onConflict: "fail" } }),
    ).rejects.toMatchObject({
      code: "validation_error",
      extra: { fields: { text: expect.stringMatching(/line 2/) } },
    });
    await expect(
      previewDotenvImport({ actor: editor, input: { text: "A=1", prefix: "bad prefix", onConflict: "fail" } }),
    ).rejects.toMatchObject({ extra: { fields: { prefix: expect.any(String) } } });
    await expect(previewDotenvImport({ actor: editor, input: { text: "A=1", prefix: "x", onConflict: "merge" } })).rejects.toMatchObject({
      extra: { fields: { onConflict: expect.any(String) } },
    });
    await expect(previewDotenvImport({ actor: editor, input: null })).rejects.toMatchObject({ code: "validation_error" });
  });
});
