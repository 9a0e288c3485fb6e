import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminalSafe } from "@/cli/terminal-safe";
import { sealBundle } from "@/lib/transfer/bundle-crypto";
import { runCli } from "./support/cli";

/**
 * The CLI prints names and members from files it reads. A crafted bundle (no passphrase needed:
 * the header is reported before one is asked for) must not reach the terminal's escape-sequence
 * parser: no ESC, no C1 control, no bidi override in anything the CLI writes.
 */
const CLEAR = "\u001b[2J\u001b[H";
const TITLE = "\u001b]0;owned\u0007";
const CLIPBOARD = "\u001b]52;c;ZWNobyBvd25lZA==\u001b\\";
const C1_CSI = "\u009b31m";
const BIDI = "\u202e";
const HOSTILE = `${CLEAR}${TITLE}${CLIPBOARD}${C1_CSI}${BIDI}x`;
const CONTROL = /[\u001b\u0007\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

let workDir: string;

const cli = (args: string[]) => runCli(args, { cwd: workDir, env: { DATABASE_URL: `file:${path.join(workDir, "never.db")}` } });

async function bundleWith(change: (file: Record<string, unknown> & { kdf: Record<string, unknown> }) => void): Promise<string> {
  const file = JSON.parse(await sealBundle("{}", "correct horse battery staple", { N: 2 ** 14, r: 8, p: 1 })) as Record<string, unknown> & {
    kdf: Record<string, unknown>;
  };
  change(file);
  const name = path.join(workDir, `b-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(name, JSON.stringify(file));
  return name;
}

beforeAll(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), "provenance-cli-terminal-"));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("terminalSafe", () => {
  it.each([
    ["ESC [2J (clear screen)", `a${CLEAR}b`],
    ["OSC 0 (window title)", `a${TITLE}b`],
    ["OSC 52 (clipboard)", `a${CLIPBOARD}b`],
    ["CSI with parameters", "a\u001b[38;5;196mb"],
    ["C1 0x9b (one-byte CSI)", `a${C1_CSI}b`],
  ])("removes %s whole", (_name, text) => {
    expect(terminalSafe(text)).toBe("ab");
  });

  it("keeps line breaks, so multi-line messages stay readable", () => {
    expect(terminalSafe("one\n  two\n")).toBe("one\n  two\n");
  });
});

describe("the CLI's output", () => {
  it("a header member named with escape sequences is reported without them", async () => {
    const file = await bundleWith((f) => (f[HOSTILE] = 1));
    const run = await cli(["import", "--in", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/header is damaged or not supported \(header: unknown member/);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stdout).toBe("");
  }, 30_000);

  it("a file name with escape sequences is reported without them", async () => {
    const run = await cli(["import", "--in", path.join(workDir, `missing${HOSTILE}.json`)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot read the bundle .*missing.*: no such file or directory/);
    expect(run.stderr).not.toMatch(CONTROL);
  }, 30_000);

  it("a header asking for too costly a KDF is refused before any passphrase is asked for", async () => {
    const file = await bundleWith((f) => Object.assign(f.kdf, { N: 2 ** 20, r: 8, p: 16 }));
    const started = Date.now();
    const run = await cli(["import", "--in", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/header is damaged or not supported \(kdf\.N/);
    expect(run.stderr).not.toMatch(/passphrase/i);
    expect(Date.now() - started).toBeLessThan(20_000); // the CLI's start-up, not 53 s of scrypt
  }, 30_000);
});
