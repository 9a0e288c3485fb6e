import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { BOTH_DATABASES, migratedDatabaseForTests } from "@/tests/support/migrated-database";
import { dueStates, syncStates } from "./refresh-state";

/**
 * The refresh's state rows as syncStates makes them, on a real SQLite file and a real PostgreSQL
 * database: one per external secret (none for stored ones), first due one jittered interval on
 * (never at once), started over when the secret is edited, left alone otherwise, and made in
 * batches that together cover a large import. dueStates reading them back checks that the bulk
 * statement stores times the way the app's own queries compare them.
 */
const NOW = Date.parse("2026-03-01T10:00:00.000Z");
const SECOND = 1000;

let secretNumber = 0;
async function newSecret(options: { external: boolean; refreshSeconds?: number }): Promise<string> {
  const id = `sec_${randomBytes(6).toString("hex")}`;
  const providerConfig = options.refreshSeconds === undefined ? "{}" : JSON.stringify({ refreshSeconds: options.refreshSeconds });
  await db().secret.create({
    data: options.external
      ? { id, secretPath: `refresh.s${secretNumber++}`, provider: "vault", providerPath: `secret/s${secretNumber}`, providerConfig }
      : { id, secretPath: `refresh.s${secretNumber++}`, provider: "provenance", valueCiphertext: "x" },
  });
  return id;
}

async function syncAll(now: number): Promise<number[]> {
  const made: number[] = [];
  for (let count = await syncStates(now); count > 0; count = await syncStates(now)) made.push(count);
  return made;
}

for (const [label, create] of BOTH_DATABASES) {
  describe(`syncStates on ${label}`, () => {
    migratedDatabaseForTests(create);

    it("gives each external secret a row, first due one jittered interval on; stored secrets get none", async () => {
      const external = await newSecret({ external: true });
      const short = await newSecret({ external: true, refreshSeconds: 10 });
      const stored = await newSecret({ external: false });
      await syncAll(NOW);

      const rows = await db().secretRefreshState.findMany({ where: { secretId: { in: [external, short, stored] } } });
      expect(rows.map((r) => r.secretId).sort()).toEqual([external, short].sort());
      for (const row of rows) {
        expect(row).toMatchObject({ secretRevision: 1, lastVersion: null, lastFingerprint: null, failures: 0, checkedAt: null });
        const interval = row.secretId === short ? 10 * SECOND : 300 * SECOND;
        expect(row.nextCheckAt.getTime()).toBeGreaterThanOrEqual(NOW + interval * 0.8);
        expect(row.nextCheckAt.getTime()).toBeLessThanOrEqual(NOW + interval * 1.2);
      }
      // Read back through the app's own comparison: not due now, due after the longest interval.
      const dueNow = await dueStates(1000, NOW);
      expect(dueNow.map((r) => r.secretId)).not.toContain(external);
      const dueLater = await dueStates(1000, NOW + 361 * SECOND);
      expect(dueLater.map((r) => r.secretId)).toEqual(expect.arrayContaining([external, short]));
      expect((await dueStates(1000, NOW + 13 * SECOND)).map((r) => r.secretId)).toContain(short);
    });

    it("starts an edited secret over and leaves an unchanged one alone", async () => {
      const edited = await newSecret({ external: true });
      const untouched = await newSecret({ external: true });
      await syncAll(NOW);
      const baseline = { lastVersion: "v7", lastFingerprint: "fp7", failures: 2, checkedAt: new Date(NOW + 5 * SECOND) };
      await db().secretRefreshState.updateMany({ where: { secretId: { in: [edited, untouched] } }, data: baseline });
      await db().secret.update({ where: { id: edited }, data: { providerPath: "secret/elsewhere", version: { increment: 1 } } });

      await syncAll(NOW + 60 * SECOND);
      const after = await db().secretRefreshState.findUniqueOrThrow({ where: { secretId: edited } });
      expect(after).toMatchObject({ secretRevision: 2, lastVersion: null, lastFingerprint: null, failures: 0, checkedAt: null });
      expect(after.nextCheckAt.getTime()).toBeGreaterThanOrEqual(NOW + 60 * SECOND + 240 * SECOND);
      expect(await db().secretRefreshState.findUniqueOrThrow({ where: { secretId: untouched } })).toMatchObject({
        secretRevision: 1,
        ...baseline,
      });
    });

    it("covers a large import in batches of 500", async () => {
      const ids = [];
      for (let i = 0; i < 620; i++) ids.push(await newSecret({ external: true }));
      expect(await syncAll(NOW)).toEqual([500, 120]);
      expect(await db().secretRefreshState.count({ where: { secretId: { in: ids } } })).toBe(620);
      expect(await syncStates(NOW)).toBe(0);
    }, 60_000);
  });
}
