import type { Datamodel, DmmfModel } from "./dmmf";

/**
 * A database schema reduced to what the drift test compares, in a form both the expectation
 * (from Prisma's DMMF) and the introspection of a real database can produce. Keys are database
 * names (tables and columns after @@map/@map), so a mismatch reads like the SQL it concerns.
 */
export interface ColumnShape {
  type: string;
  nullable: boolean;
  /** SQL default as the database reports it, normalised; null when there is none. */
  default: string | null;
}

export interface IndexShape {
  columns: string[];
  unique: boolean;
}

export interface ForeignKeyShape {
  references: string; // "table(col, …)"
  onDelete: string;
  onUpdate: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  /** By index name; the primary key's own index is left out. */
  indexes: Record<string, IndexShape>;
  /** By the constrained columns ("a, b"): SQLite does not report foreign key names. */
  foreignKeys: Record<string, ForeignKeyShape>;
}

export type SchemaShape = Record<string, TableShape>;

export type Dialect = "sqlite" | "postgres";

// What Prisma's migrate would create for each scalar type, as the databases report it back.
const columnTypes: Record<Dialect, Record<string, string>> = {
  sqlite: { String: "TEXT", Int: "INTEGER", BigInt: "BIGINT", Boolean: "BOOLEAN", DateTime: "DATETIME" },
  postgres: { String: "TEXT", Int: "INTEGER", BigInt: "BIGINT", Boolean: "BOOLEAN", DateTime: "TIMESTAMP(3)" },
};

const referentialActions: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;

function columnOf(model: DmmfModel, fieldName: string): string {
  const field = model.fields.find((f) => f.name === fieldName);
  if (!field) throw new Error(`${model.name} has no field ${fieldName}`);
  return field.dbName ?? field.name;
}

function sqlDefault(value: unknown, dialect: Dialect): string | null {
  if (value === undefined) return null;
  // SQLite's INTEGER PRIMARY KEY AUTOINCREMENT has no column default; PostgreSQL's SERIAL has a sequence.
  if (value && typeof value === "object" && "name" in value && value.name === "autoincrement")
    return dialect === "sqlite" ? null : "AUTOINCREMENT";
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  if (typeof value === "string") return `'${value.replace(/'/g, "''")}'`;
  if (value && typeof value === "object" && "name" in value && value.name === "now") return "CURRENT_TIMESTAMP";
  // cuid(), uuid()…: not used by our models (ids come from the app). Extend
  // this (and the migrations) deliberately if that changes.
  throw new Error(`The drift test does not know the default ${JSON.stringify(value)}`);
}

/** What the database should look like according to Prisma's reading of the schema. */
export function expectedShape(datamodel: Datamodel, dialect: Dialect): SchemaShape {
  const shape: SchemaShape = {};
  const byName = new Map(datamodel.models.map((m) => [m.name, m]));

  for (const model of datamodel.models) {
    const table: TableShape = { columns: {}, primaryKey: [], indexes: {}, foreignKeys: {} };
    for (const field of model.fields) {
      if (field.kind === "scalar") {
        const type = columnTypes[dialect][field.type];
        if (!type || field.isList) throw new Error(`The drift test does not know the type of ${model.name}.${field.name}`);
        table.columns[field.dbName ?? field.name] = {
          type,
          nullable: !field.isRequired,
          default: sqlDefault(field.default, dialect),
        };
      } else if (field.kind === "object" && field.relationFromFields?.length) {
        const target = byName.get(field.type)!;
        const columns = field.relationFromFields.map((f) => columnOf(model, f));
        const refColumns = (field.relationToFields ?? []).map((f) => columnOf(target, f));
        // Prisma's defaults: SetNull for an optional relation, Restrict for a required one; Cascade on update.
        const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
        table.foreignKeys[columns.join(", ")] = {
          references: `${tableOf(target)}(${refColumns.join(", ")})`,
          onDelete: referentialActions[onDelete]!,
          onUpdate: referentialActions[field.relationOnUpdate ?? "Cascade"]!,
        };
      }
    }
    shape[tableOf(model)] = table;
  }

  for (const index of datamodel.indexes) {
    const model = byName.get(index.model)!;
    const table = shape[tableOf(model)]!;
    const columns = index.fields.map((f) => columnOf(model, f.name));
    if (index.type === "id") {
      table.primaryKey = columns;
      continue;
    }
    if (index.type === "fulltext") throw new Error("The drift test does not know fulltext indexes");
    // Prisma's default constraint names: <table>_<columns>_key for unique, _idx for plain.
    const suffix = index.type === "unique" ? "key" : "idx";
    const name = index.dbName ?? `${tableOf(model)}_${columns.join("_")}_${suffix}`;
    table.indexes[name] = { columns, unique: index.type === "unique" };
  }
  return shape;
}
