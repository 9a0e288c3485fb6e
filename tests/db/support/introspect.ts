import Database from "better-sqlite3";
import pg from "pg";
import { MIGRATIONS_TABLE } from "@/lib/db/migrate";
import type { SchemaShape, TableShape } from "./shape";

/**
 * Reads back what a migrated database really contains, in the shape of ./shape.ts. The runner's
 * own bookkeeping table is not part of the application schema and is left out.
 */

const emptyTable = (): TableShape => ({ columns: {}, primaryKey: [], indexes: {}, foreignKeys: {} });

// ---------------------------------------------------------------------------------------------
// SQLite: pragmas

interface SqliteColumn {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}
interface SqliteIndex {
  name: string;
  unique: number;
  origin: "c" | "u" | "pk";
}
interface SqliteForeignKey {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string;
  on_update: string;
  on_delete: string;
}

export function introspectSqlite(file: string): SchemaShape {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?")
      .all(MIGRATIONS_TABLE);
    const shape: SchemaShape = {};
    for (const { name } of tables) {
      const table = emptyTable();
      const columns = db.pragma(`table_info("${name}")`) as SqliteColumn[];
      for (const c of columns) {
        table.columns[c.name] = { type: c.type.toUpperCase(), nullable: c.notnull === 0, default: c.dflt_value };
      }
      table.primaryKey = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);

      for (const index of db.pragma(`index_list("${name}")`) as SqliteIndex[]) {
        if (index.origin === "pk") continue; // the primary key's implicit index
        const indexColumns = (db.pragma(`index_info("${index.name}")`) as { seqno: number; name: string }[])
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name);
        table.indexes[index.name] = { columns: indexColumns, unique: index.unique === 1 };
      }

      const foreignKeys = new Map<number, SqliteForeignKey[]>();
      for (const fk of db.pragma(`foreign_key_list("${name}")`) as SqliteForeignKey[]) {
        foreignKeys.set(fk.id, [...(foreignKeys.get(fk.id) ?? []), fk]);
      }
      for (const parts of foreignKeys.values()) {
        parts.sort((a, b) => a.seq - b.seq);
        table.foreignKeys[parts.map((p) => p.from).join(", ")] = {
          references: `${parts[0]!.table}(${parts.map((p) => p.to).join(", ")})`,
          onDelete: parts[0]!.on_delete,
          onUpdate: parts[0]!.on_update,
        };
      }
      shape[name] = table;
    }
    return shape;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: information_schema for columns, the catalogs for indexes and foreign keys (whose
// column order information_schema does not expose simply)

const pgTypes: Record<string, (precision: number | null) => string> = {
  text: () => "TEXT",
  integer: () => "INTEGER",
  bigint: () => "BIGINT",
  boolean: () => "BOOLEAN",
  "timestamp without time zone": (p) => `TIMESTAMP(${p})`,
};

const pgActions: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

/**
 * `''::text` → `''`: PostgreSQL reports string defaults with their cast. A SERIAL column's
 * `nextval('<table>_<column>_seq'::regclass)` reads as AUTOINCREMENT.
 */
const normalisePgDefault = (value: string | null) =>
  value === null ? null : /^nextval\('[a-z_]+_seq'::regclass\)$/.test(value) ? "AUTOINCREMENT" : value.replace(/::[a-z ]+$/, "");

// Column names of an int2vector/array of attribute numbers, in order.
const attnames = (attnums: string, relid: string) => `ARRAY(
  SELECT a.attname FROM unnest(${attnums}) WITH ORDINALITY AS k(attnum, ord)
  JOIN pg_attribute a ON a.attrelid = ${relid} AND a.attnum = k.attnum ORDER BY k.ord)::text[]`;

export async function introspectPostgres(url: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const shape: SchemaShape = {};
    const table = (name: string) => (shape[name] ??= emptyTable());

    const columns = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: "YES" | "NO";
      column_default: string | null;
      datetime_precision: number | null;
    }>(
      `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default, c.datetime_precision
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> $1
        ORDER BY c.table_name, c.ordinal_position`,
      [MIGRATIONS_TABLE],
    );
    for (const c of columns.rows) {
      const type = pgTypes[c.data_type]?.(c.datetime_precision) ?? c.data_type;
      table(c.table_name).columns[c.column_name] = {
        type,
        nullable: c.is_nullable === "YES",
        default: normalisePgDefault(c.column_default),
      };
    }

    const indexes = await client.query<{ table: string; name: string; unique: boolean; primary: boolean; columns: string[] }>(
      `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
              ${attnames("ix.indkey", "t.oid")} AS columns
         FROM pg_index ix
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_class i ON i.oid = ix.indexrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname <> $1`,
      [MIGRATIONS_TABLE],
    );
    for (const ix of indexes.rows) {
      if (ix.primary) table(ix.table).primaryKey = ix.columns;
      else table(ix.table).indexes[ix.name] = { columns: ix.columns, unique: ix.unique };
    }

    const foreignKeys = await client.query<{
      table: string;
      ref_table: string;
      columns: string[];
      ref_columns: string[];
      on_delete: string;
      on_update: string;
    }>(
      `SELECT t.relname AS table, rt.relname AS ref_table,
              ${attnames("c.conkey", "c.conrelid")} AS columns,
              ${attnames("c.confkey", "c.confrelid")} AS ref_columns,
              c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class rt ON rt.oid = c.confrelid
        WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace`,
    );
    for (const fk of foreignKeys.rows) {
      table(fk.table).foreignKeys[fk.columns.join(", ")] = {
        references: `${fk.ref_table}(${fk.ref_columns.join(", ")})`,
        onDelete: pgActions[fk.on_delete] ?? fk.on_delete,
        onUpdate: pgActions[fk.on_update] ?? fk.on_update,
      };
    }
    return shape;
  } finally {
    await client.end();
  }
}
