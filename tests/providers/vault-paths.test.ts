import { describe, expect, it } from "vitest";
import { normalizeVaultPath, vaultValue } from "@/lib/providers/vault/paths";

describe("normalizeVaultPath", () => {
  it.each([
    ["secret/my-app/api-key", "2", "secret/data/my-app/api-key"],
    ["/secret/my-app/api-key/", "2", "secret/data/my-app/api-key"],
    ["secret/data/my-app/api-key", "2", "secret/data/my-app/api-key"],
    ["secret/x", undefined, "secret/data/x"],
    ["kv/legacy/db", "1", "kv/legacy/db"],
    ["kv/data/really-a-key", "1", "kv/data/really-a-key"],
    ["secret/team a/key b", "2", "secret/data/team a/key b"],
  ])("%s (kv %s) → %s", (path, kvVersion, expected) => {
    expect(normalizeVaultPath(path, kvVersion).apiPath).toBe(expected);
  });

  it("inserts data/ after a multi-segment mount when the mount is known", () => {
    expect(normalizeVaultPath("team/kv/service/key", "2", "team/kv")).toEqual({
      apiPath: "team/kv/data/service/key",
      kvVersion: "2",
      insertedData: true,
    });
    expect(normalizeVaultPath("team/kv/data/service/key", "2", "team/kv").insertedData).toBe(false);
  });

  it.each(["", "/", "secret", "secret//x", "secret/../x", "secret/x?version=2", "secret/x#y", "secret/a\tb", "secret/ /x"])(
    "rejects %j",
    (path) => {
      expect(() => normalizeVaultPath(path, "2")).toThrow(/HashiCorp Vault: invalid path/);
    },
  );
});

describe("vaultValue", () => {
  it("returns one key's value, as JSON when it is not a string, and several keys as JSON", () => {
    expect(vaultValue({ value: "abc" })).toBe("abc");
    expect(vaultValue({ value: { nested: true } })).toBe('{"nested":true}');
    expect(vaultValue({ a: "1", b: "2" })).toBe('{"a":"1","b":"2"}');
    expect(vaultValue({})).toBe("{}");
  });
});
