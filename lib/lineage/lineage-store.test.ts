import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { BOTH_DATABASES, migratedDatabaseForTests } from "@/tests/support/migrated-database";
import { LineageCounter } from "./lineage-counter";
import { recordStoredVersions, storeLineage } from "./lineage-store";

/**
 * What a flush leaves in secret_versions and secret_version_reads, on a real SQLite file and a
 * real PostgreSQL database: rows made once, times only ever moved forward, several notes of one
 * row stored as one, deleted secrets left out, and a large flush stored whole.
 */
const T0 = Date.parse("2026-03-01T10:00:00.000Z");
const at = (seconds: number) => T0 + seconds * 1000;

async function versions(secretId: string) {
  const rows = await db().secretVersion.findMany({ where: { secretId }, orderBy: { version: "asc" } });
  return rows.map((r) => ({
    version: r.version,
    fingerprint: r.fingerprint,
    first: r.firstSeenAt.getTime(),
    last: r.lastSeenAt.getTime(),
  }));
}

async function reads(secretId: string) {
  const rows = await db().secretVersionRead.findMany({ where: { secretId }, orderBy: [{ version: "asc" }, { reader: "asc" }] });
  return rows.map((r) => ({ version: r.version, reader: r.reader, last: r.lastReadAt.getTime() }));
}

async function flush(note: (counter: LineageCounter) => void): Promise<void> {
  const counter = new LineageCounter();
  note(counter);
  await storeLineage(counter.take());
}

let secretNumber = 0;
async function newSecret(): Promise<string> {
  const id = `sec_${randomBytes(6).toString("hex")}`;
  await db().secret.create({ data: { id, secretPath: `lineage.s${secretNumber++}`, provider: "provenance", valueCiphertext: "x" } });
  return id;
}

for (const [label, create] of BOTH_DATABASES) {
  describe(`storeLineage on ${label}`, () => {
    migratedDatabaseForTests(create);

    it("creates a version once and only ever moves its lastSeenAt forward", async () => {
      const id = await newSecret();
      await flush((c) => c.sawVersion(id, "v1", "fp1", at(10), at(20)));
      expect(await versions(id)).toEqual([{ version: "v1", fingerprint: "fp1", first: at(10), last: at(20) }]);
      // Earlier: nothing moves; the fingerprint and first sighting stay as first stored.
      await flush((c) => c.sawVersion(id, "v1", "other", at(1), at(15)));
      expect(await versions(id)).toEqual([{ version: "v1", fingerprint: "fp1", first: at(10), last: at(20) }]);
      await flush((c) => c.sawVersion(id, "v1", "other", at(30)));
      expect(await versions(id)).toEqual([{ version: "v1", fingerprint: "fp1", first: at(10), last: at(30) }]);
    });

    it("compares its times with those the app's own writes stored (a stored secret's version)", async () => {
      const id = await newSecret();
      await recordStoredVersions(db(), [{ secretId: id, version: "1", fingerprint: "fp" }], new Date(at(100)));
      await flush((c) => {
        c.sawVersion(id, "1", "fp", at(99));
        c.read(id, "1", "fp", "token:t", at(99));
      });
      expect(await versions(id)).toEqual([{ version: "1", fingerprint: "fp", first: at(100), last: at(100) }]);
      await flush((c) => c.read(id, "1", "fp", "token:t", at(101)));
      expect(await versions(id)).toEqual([{ version: "1", fingerprint: "fp", first: at(100), last: at(101) }]);
      if (label === "SQLite") {
        // Stored as the app's own writes store times, so text comparisons in SQL order them right.
        const [row] = await db().$queryRaw<Array<{ first: string; last: string }>>`
          SELECT CAST("first_seen_at" AS TEXT) AS "first", CAST("last_seen_at" AS TEXT) AS "last" FROM "secret_versions" WHERE "secret_id" = ${id}`;
        expect(row!.last).toBe(row!.first.replace("10:01:40", "10:01:41"));
      }
    });

    it("stores one version noted with two fingerprints as one row, the first's, seen until the last", async () => {
      const id = await newSecret();
      await flush((c) => {
        c.sawVersion(id, "7", "first", at(5));
        c.sawVersion(id, "7", "second", at(3), at(9));
      });
      expect(await versions(id)).toEqual([{ version: "7", fingerprint: "first", first: at(5), last: at(9) }]);
    });

    it("keeps one read row per version and reader at its latest read, and moves the version with its reads", async () => {
      const id = await newSecret();
      await flush((c) => c.sawVersion(id, "1", "fp", at(0)));
      await flush((c) => {
        c.read(id, "1", "fp", "token:a", at(40));
        c.read(id, "1", "fp-again", "token:a", at(50));
        c.read(id, "1", "fp", "user:b", at(45));
        c.read(id, "2", "fp2", "token:a", at(60)); // a version with no row yet: the read is kept, no version is made
      });
      expect(await reads(id)).toEqual([
        { version: "1", reader: "token:a", last: at(50) },
        { version: "1", reader: "user:b", last: at(45) },
        { version: "2", reader: "token:a", last: at(60) },
      ]);
      expect(await versions(id)).toEqual([{ version: "1", fingerprint: "fp", first: at(0), last: at(50) }]);
      await flush((c) => c.read(id, "1", "fp", "token:a", at(42)));
      expect((await reads(id))[0]).toEqual({ version: "1", reader: "token:a", last: at(50) });
      expect((await versions(id))[0]!.last).toBe(at(50));
    });

    it("numbers versions without an id by fingerprint and attaches their reads", async () => {
      const id = await newSecret();
      await flush((c) => {
        c.sawVersion(id, null, "a", at(1));
        c.read(id, null, "a", "token:t", at(1));
      });
      await flush((c) => {
        c.sawVersion(id, null, "b", at(2));
        c.read(id, null, "b", "token:t", at(3));
        c.read(id, null, "unknown", "token:t", at(3)); // no version with this fingerprint: dropped
      });
      expect(await versions(id)).toEqual([
        { version: "1", fingerprint: "a", first: at(1), last: at(1) },
        { version: "2", fingerprint: "b", first: at(2), last: at(3) },
      ]);
      expect(await reads(id)).toEqual([
        { version: "1", reader: "token:t", last: at(1) },
        { version: "2", reader: "token:t", last: at(3) },
      ]);
    });

    it("drops what was noted for a deleted secret and stores the rest", async () => {
      const kept = await newSecret();
      await flush((c) => {
        c.sawVersion("sec_gone", "1", "fp", at(1));
        c.read("sec_gone", "1", "fp", "token:t", at(1));
        c.sawVersion(kept, "1", "fp", at(1));
      });
      expect(await db().secretVersion.count({ where: { secretId: "sec_gone" } })).toBe(0);
      expect(await db().secretVersionRead.count({ where: { secretId: "sec_gone" } })).toBe(0);
      expect(await versions(kept)).toHaveLength(1);
    });

    it("stores a flush larger than one statement's rows whole", async () => {
      const ids = await Promise.all(Array.from({ length: 450 }, () => newSecret()));
      await flush((c) => {
        for (const [i, id] of ids.entries()) {
          c.sawVersion(id, "1", `fp${i}`, at(i));
          c.read(id, "1", `fp${i}`, "token:bulk", at(i + 1));
        }
      });
      expect(await db().secretVersion.count({ where: { secretId: { in: ids } } })).toBe(450);
      expect(await db().secretVersionRead.count({ where: { secretId: { in: ids }, reader: "token:bulk" } })).toBe(450);
      expect(await versions(ids[449]!)).toEqual([{ version: "1", fingerprint: "fp449", first: at(449), last: at(450) }]);
      expect(await reads(ids[449]!)).toEqual([{ version: "1", reader: "token:bulk", last: at(450) }]);
    });
  });
}
