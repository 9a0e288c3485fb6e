import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { applyMigrations, loadMigrations } from "@/lib/db/migrate";
import { parseDatabaseUrl } from "@/lib/db/url";
import { resetEnvForTests } from "@/lib/env";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../support/databases";
import { loadDatamodel } from "./support/dmmf";
import { introspectPostgres, introspectSqlite } from "./support/introspect";
import { expectedShape, type Dialect, type SchemaShape } from "./support/shape";

/**
 * Proves, for both databases, that the hand-written migrations build exactly the schema that Prisma
 * expects from prisma/models.prisma (the drift check), and that the runner behaves: idempotent,
 * immutable history, all-or-nothing migrations, safe when two start at once. Then round-trips
 * every model through the real client.
 *
 * PostgreSQL must be reachable (it is on every machine of this project and in CI); set
 * PROVENANCE_TEST_POSTGRES_URL to use another server.
 */

const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const migrationsRoot = path.join(projectRoot, "prisma", "migrations");

interface DialectHarness {
  dialect: Dialect;
  create: () => Promise<TempDatabase>;
  introspect: (url: string) => Promise<SchemaShape>;
}

const sqliteFile = (url: string) => {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== "sqlite") throw new Error("not a SQLite URL");
  return target.file;
};

const harnesses: DialectHarness[] = [
  { dialect: "sqlite", create: async () => createSqliteDatabase(), introspect: async (url) => introspectSqlite(sqliteFile(url)) },
  { dialect: "postgres", create: createPostgresDatabase, introspect: introspectPostgres },
];

it("the committed schema files are generated from prisma/models.prisma", () => {
  const result = spawnSync(process.execPath, [path.join(projectRoot, "scripts", "db-schemas.mjs"), "--check"], {
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
});

describe.each(harnesses)("$dialect", ({ dialect, create, introspect }) => {
  const databases: TempDatabase[] = [];
  const scratchDirs: string[] = [];

  const freshDatabase = async () => {
    const database = await create();
    databases.push(database);
    return database.url;
  };

  /** A private copy of the migrations folder that a test may edit. */
  const copyOfMigrations = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-migrations-"));
    scratchDirs.push(dir);
    cpSync(migrationsRoot, dir, { recursive: true });
    return dir;
  };
  const addMigration = (root: string, name: string, sql: string) => {
    mkdirSync(path.join(root, dialect, name));
    writeFileSync(path.join(root, dialect, name, "migration.sql"), sql);
  };

  const allMigrations = loadMigrations(path.join(migrationsRoot, dialect)).map((m) => m.name);

  // Each DROP DATABASE waits for a checkpoint, which takes seconds on a busy machine: drop them
  // side by side and give the hook room.
  afterAll(async () => {
    await disconnectDb();
    await Promise.all(databases.map((database) => database.drop()));
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it("migrations build exactly the schema that Prisma expects from the models", async () => {
    const url = await freshDatabase();
    expect(await applyMigrations({ url })).toEqual({ applied: allMigrations });

    const expected = expectedShape(loadDatamodel(dialect), dialect);
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(await introspect(url)).toEqual(expected);
  }, 60_000);

  it("is idempotent", async () => {
    const url = await freshDatabase();
    await applyMigrations({ url });
    expect(await applyMigrations({ url })).toEqual({ applied: [] });
  });

  it("applies each migration once when two runners start at the same time", async () => {
    const url = await freshDatabase();
    const results = await Promise.all([applyMigrations({ url }), applyMigrations({ url })]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(allMigrations);
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const url = await freshDatabase();
    const migrationsDir = copyOfMigrations();
    await applyMigrations({ url, migrationsDir });
    appendFileSync(path.join(migrationsDir, dialect, allMigrations[0]!, "migration.sql"), "\n-- edited\n");
    await expect(applyMigrations({ url, migrationsDir })).rejects.toThrow(/changed after it was applied/);
  });

  it("refuses a database migrated by a newer build", async () => {
    const url = await freshDatabase();
    const migrationsDir = copyOfMigrations();
    addMigration(migrationsDir, "9999_from_the_future", "CREATE TABLE future_table (id TEXT);");
    await applyMigrations({ url, migrationsDir });
    await expect(applyMigrations({ url })).rejects.toThrow(/9999_from_the_future .*newer version/);
  });

  it("rolls a failing migration back entirely", async () => {
    const url = await freshDatabase();
    const migrationsDir = copyOfMigrations();
    addMigration(migrationsDir, "9999_broken", 'CREATE TABLE "half_done" ("id" TEXT);\nINSERT INTO "no_such_table" VALUES (1);\n');
    await expect(applyMigrations({ url, migrationsDir })).rejects.toThrow(/9999_broken failed/);
    expect(Object.keys(await introspect(url))).not.toContain("half_done");
    // The earlier migrations stay applied, and the broken one is not recorded.
    expect(await applyMigrations({ url })).toEqual({ applied: [] });
  });

  describe("the Prisma client (db())", () => {
    const savedUrl = process.env.DATABASE_URL;
    afterEach(async () => {
      await disconnectDb();
      if (savedUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = savedUrl;
      resetEnvForTests();
    });

    it("round-trips every model, with the schema's defaults and referential actions", async () => {
      const url = await freshDatabase();
      await applyMigrations({ url });
      process.env.DATABASE_URL = url;
      resetEnvForTests();
      const client = db();
      expect(db()).toBe(client); // one instance per process

      const user = await client.user.create({
        data: { id: "usr_1", email: "ada@example.test", passwordHash: "hash", role: "admin" },
      });
      expect(user).toMatchObject({ name: null, disabled: false, lastSignInAt: null });
      expect(user.createdAt).toBeInstanceOf(Date);
      expect(user.updatedAt).toBeInstanceOf(Date);

      const expiresAt = new Date("2030-01-02T03:04:05.678Z");
      await client.apiToken.create({
        data: {
          id: "tok_1",
          name: "ci",
          tokenHash: "token-hash",
          tokenPrefix: "pv_ab12",
          role: "viewer",
          scope: "app/*",
          createdById: user.id,
          expiresAt,
        },
      });
      const provider = await client.secretProvider.create({
        data: { id: "prv_1", name: "vault", type: "vault", config: '{"address":"http://127.0.0.1:8200"}', credentials: "ct" },
      });
      expect(provider).toMatchObject({ description: "", version: 1, lastTestOk: null });

      const secret = await client.secret.create({
        data: { id: "sec_1", secretPath: "app/db-password", provider: "vault", providerPath: "kv/app", secretProviderId: provider.id },
      });
      expect(secret).toMatchObject({ description: "", providerConfig: "{}", version: 1, valueCiphertext: null });
      await client.secret.create({
        data: { id: "sec_2", secretPath: "app/api-key", provider: "stored", valueCiphertext: "v1:ciphertext", createdById: user.id },
      });

      const event = await client.auditEvent.create({
        data: {
          id: "evt_1",
          actorType: "user",
          actorId: user.id,
          actorLabel: user.email,
          action: "secret.create",
          targetType: "secret",
          targetId: secret.id,
          outcome: "success",
          sourceIp: "127.0.0.1",
          details: '{"v":1}',
        },
      });
      expect(event.at).toBeInstanceOf(Date);
      await client.setting.create({ data: { key: "master_key_check", value: "v1:check" } });

      // Read back through relations and unique keys.
      const loaded = await client.secret.findUniqueOrThrow({
        where: { secretPath: "app/db-password" },
        include: { secretProvider: true },
      });
      expect(loaded.secretProvider?.name).toBe("vault");
      const token = await client.apiToken.findUniqueOrThrow({ where: { tokenHash: "token-hash" }, include: { createdBy: true } });
      expect(token.expiresAt?.toISOString()).toBe(expiresAt.toISOString()); // millisecond precision survives
      expect(token.createdBy?.email).toBe("ada@example.test");
      expect(await client.auditEvent.findMany({ where: { action: "secret.create" } })).toHaveLength(1);
      expect((await client.setting.findUniqueOrThrow({ where: { key: "master_key_check" } })).value).toBe("v1:check");

      // @updatedAt moves on update.
      const before = (await client.setting.findUniqueOrThrow({ where: { key: "master_key_check" } })).updatedAt;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const after = (await client.setting.update({ where: { key: "master_key_check" }, data: { value: "v2" } })).updatedAt;
      expect(after.getTime()).toBeGreaterThan(before.getTime());

      // Unique constraints and referential actions are enforced by the database.
      await expect(
        client.user.create({ data: { id: "usr_2", email: "ada@example.test", passwordHash: "x", role: "viewer" } }),
      ).rejects.toMatchObject({ code: "P2002" });
      await expect(client.secretProvider.delete({ where: { id: provider.id } })).rejects.toThrow(); // Restrict
      await client.user.delete({ where: { id: user.id } });
      expect((await client.apiToken.findUniqueOrThrow({ where: { id: "tok_1" } })).createdById).toBeNull(); // SetNull

      if (dialect === "sqlite") {
        const [mode] = await client.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
        expect(mode?.journal_mode).toBe("wal");
      }
    });
  });
});
