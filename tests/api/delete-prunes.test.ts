import { describe, expect, it } from "vitest";
import { call, unique } from "./support/client";
import { query } from "./support/database";
import { createStoredSecret } from "./support/expectations";

/**
 * Deleting a secret deletes its lineage (secret_versions, secret_version_reads) with it, in the
 * same transaction; reads still counted in memory are not stored for it afterwards. (Connections
 * and their usage rows: tests/api/metrics.test.ts.)
 */
describe("DELETE /api/secrets/:id", () => {
  it("leaves no version or reader rows behind", async () => {
    const secret = await createStoredSecret(unique("prune.secret").replace(/[^A-Za-z0-9_.-]/g, "-"));
    expect((await call(`/api/secrets/${secret.id}`, { method: "PATCH", body: { value: `${secret.value}-2` } })).status).toBe(200);
    expect((await call(`/api/secrets/resolve?path=${secret.secretPath}`)).status).toBe(200);
    // The versions answer stores the reads counted so far first.
    const versions = await call<Array<{ readers: number }>>(`/api/secrets/${secret.id}/versions`);
    expect(versions.body.map((v) => v.readers)).toEqual([1, 0]);
    expect(await query("SELECT * FROM secret_versions WHERE secret_id = $1", [secret.id])).toHaveLength(2);
    expect(await query("SELECT * FROM secret_version_reads WHERE secret_id = $1", [secret.id])).toHaveLength(1);

    // A read counted in memory just before the delete must not bring rows back at the next flush.
    expect((await call(`/api/secrets/resolve?path=${secret.secretPath}`)).status).toBe(200);
    expect((await call(`/api/secrets/${secret.id}`, { method: "DELETE" })).status).toBe(204);
    await call("/api/metrics"); // stores what was counted
    await new Promise((r) => setTimeout(r, 5_500)); // and one periodic flush
    expect(await query("SELECT * FROM secret_versions WHERE secret_id = $1", [secret.id])).toEqual([]);
    expect(await query("SELECT * FROM secret_version_reads WHERE secret_id = $1", [secret.id])).toEqual([]);
  });
});
