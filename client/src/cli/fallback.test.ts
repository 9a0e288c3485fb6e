import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fallbackContext, loadFallback, parseMaxAge, saveFallback, serverUnreachable } from "./fallback";
import { ProvenanceError } from "../errors";

const planned = { API_KEY: { path: "stripe.apiKey", value: "sk_live_fallback_value" } };
const context = fallbackContext("https://secrets.example.com", { prefixes: ["stripe"], paths: [], names: {} });

function file(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), "provenance-fallback-")), "last-good");
}

describe("fallback file", () => {
  it("round-trips for the same token and request, is 0600, and holds no plaintext", async () => {
    const target = file();
    await saveFallback(target, "pvt_token-a", context, planned);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readFileSync(target, "utf8")).not.toContain("sk_live_fallback_value");
    expect((await loadFallback(target, "pvt_token-a", context, 60_000)).planned).toEqual(planned);
  });

  it("refuses another token, another server or other paths, an old copy and a missing one", async () => {
    const target = file();
    const savedAt = new Date(Date.now() - 2 * 3600_000);
    await saveFallback(target, "pvt_token-a", context, planned, savedAt);
    await expect(loadFallback(target, "pvt_token-b", context, 86_400_000)).rejects.toThrow(/another token/);
    const otherServer = fallbackContext("https://other.example.com", { prefixes: ["stripe"], paths: [], names: {} });
    await expect(loadFallback(target, "pvt_token-a", otherServer, 86_400_000)).rejects.toThrow(/another server/);
    await expect(loadFallback(target, "pvt_token-a", context, 3600_000)).rejects.toThrow(/2\.0 h old/);
    await expect(loadFallback(`${target}-none`, "pvt_token-a", context, 3600_000)).rejects.toThrow(/no fallback copy/);
  });

  it("durations and what counts as an unreachable server", () => {
    expect(parseMaxAge("24h")).toBe(86_400_000);
    expect(parseMaxAge("30m")).toBe(1_800_000);
    expect(parseMaxAge("7d")).toBe(604_800_000);
    expect(parseMaxAge("90")).toBe(90_000);
    expect(() => parseMaxAge("soon")).toThrow(/duration/);
    expect(serverUnreachable(new ProvenanceError("unreachable", "x"))).toBe(true);
    expect(serverUnreachable(new ProvenanceError("database_unavailable", "x", 503))).toBe(true);
    expect(serverUnreachable(new ProvenanceError("unauthorized", "x", 401))).toBe(false);
    expect(serverUnreachable(new ProvenanceError("resolve_failed", "x"))).toBe(false);
  });
});
