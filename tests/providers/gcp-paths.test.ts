import { describe, expect, it } from "vitest";
import { expandGcpPath } from "@/lib/providers/gcp-sm/adapter";
import { crc32c } from "@/lib/providers/gcp-sm/crc32c";
import { versionOf } from "@/lib/providers/gcp-sm/paths";

describe("expandGcpPath", () => {
  it.each([
    ["my-secret", undefined, "projects/my-project/secrets/my-secret/versions/latest"],
    ["my-secret", "3", "projects/my-project/secrets/my-secret/versions/3"],
    ["projects/p/secrets/s", undefined, "projects/p/secrets/s/versions/latest"],
    ["projects/p/secrets/s", "7", "projects/p/secrets/s/versions/7"],
    ["projects/p/secrets/s/versions/latest", undefined, "projects/p/secrets/s/versions/latest"],
    ["projects/p/secrets/s/versions/3", "5", "projects/p/secrets/s/versions/3"],
    ["projects/123456789/secrets/s/versions/2", undefined, "projects/123456789/secrets/s/versions/2"],
    ["projects/example.com:proj/secrets/s", undefined, "projects/example.com:proj/secrets/s/versions/latest"],
    ["/my-secret/", undefined, "projects/my-project/secrets/my-secret/versions/latest"],
  ])("%s (version %s) → %s", (path, version, expected) => {
    expect(expandGcpPath(path, "my-project", version)).toBe(expected);
  });

  it.each([
    "",
    "a/b",
    "projects/p",
    "projects/p/secrets",
    "projects/p/secrets/s/versions",
    "projects/p/secrets/s/versions/0",
    "my secret",
    "projects/p/secrets/s/extra/x",
  ])("rejects %j", (path) => {
    expect(() => expandGcpPath(path, "my-project")).toThrow(/GCP Secret Manager: invalid path/);
  });

  it("rejects a version that is not a number, alias or latest", () => {
    expect(() => expandGcpPath("s", "my-project", "../x")).toThrow(/invalid version/);
  });

  it("reads the version number off a returned name", () => {
    expect(versionOf("projects/1/secrets/s/versions/12")).toBe("12");
    expect(versionOf(undefined)).toBeNull();
  });
});

describe("crc32c", () => {
  it("matches the standard check values", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  });
});
