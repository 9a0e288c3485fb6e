import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "@/lib/db/url";

describe("parseDatabaseUrl", () => {
  it("resolves relative SQLite paths against the working directory", () => {
    expect(parseDatabaseUrl("file:./data/provenance.db", "/srv/app")).toEqual({
      dialect: "sqlite",
      file: path.resolve("/srv/app/data/provenance.db"),
    });
    expect(parseDatabaseUrl("file:data/x.db", "/srv/app")).toMatchObject({ file: path.resolve("/srv/app/data/x.db") });
  });

  it("accepts absolute paths and file:// URLs, and ignores query parameters", () => {
    expect(parseDatabaseUrl("file:/var/lib/p.db?connection_limit=1", "/srv")).toMatchObject({ file: "/var/lib/p.db" });
    expect(parseDatabaseUrl("file:///var/lib/p%20q.db", "/srv")).toMatchObject({ file: "/var/lib/p q.db" });
    expect(parseDatabaseUrl("file::memory:")).toEqual({ dialect: "sqlite", file: ":memory:" });
  });

  it("recognises both PostgreSQL schemes and keeps the URL as given", () => {
    for (const url of ["postgresql://u:p@db:5432/prov?sslmode=require", "postgres://db/prov"]) {
      expect(parseDatabaseUrl(url)).toEqual({ dialect: "postgres", url });
    }
  });

  it("rejects other schemes without echoing the URL (it may hold a password)", () => {
    expect(() => parseDatabaseUrl("mysql://root:hunter2@db/prov")).toThrow(/file: .*postgresql:\/\//);
    expect(() => parseDatabaseUrl("mysql://root:hunter2@db/prov")).not.toThrow(/hunter2/);
    expect(() => parseDatabaseUrl("file:")).toThrow(/names no file/);
  });
});
