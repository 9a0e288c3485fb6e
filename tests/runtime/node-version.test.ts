import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { unsupportedNodeReason } from "../../scripts/node-version.mjs";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const engines: string = JSON.parse(read("package.json")).engines.node;

describe("the supported Node.js (package.json engines)", () => {
  it("is Node 24 from its first LTS release on", () => {
    expect(engines).toBe("^24.11.0");
    for (const version of ["24.11.0", "24.22.3", "24.100.0"]) expect(unsupportedNodeReason(version)).toBeNull();
    for (const version of ["20.20.2", "22.21.0", "24.10.9", "23.11.0", "25.0.0", "26.1.0"]) {
      expect(unsupportedNodeReason(version)).toContain(`Provenance runs on Node.js 24 (24.11.0 or a newer 24.x`);
      expect(unsupportedNodeReason(version)).toContain(`this is Node.js ${version}.`);
    }
  });

  it("is what the tests, CI and the container run", () => {
    expect(unsupportedNodeReason(process.versions.node)).toBeNull();
    const ciVersion = /^NODE_VERSION=(\S+)$/m.exec(read(".ci/node.sh"))?.[1];
    expect(ciVersion && unsupportedNodeReason(ciVersion)).toBeNull();
    const images = [...read("Dockerfile").matchAll(/^FROM node:(\d+)-/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(0);
    for (const major of images) expect(major).toBe(engines.slice(1).split(".")[0]);
  });
});

describe("a start on another Node.js", () => {
  // The real entry points, in a Node that reports an unsupported version. They run in an empty
  // folder, so that without the check `npm start` stops at "not built yet" instead of serving.
  const emptyDir = mkdtempSync(path.join(os.tmpdir(), "provenance-node-version-"));
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));
  const onNode20 = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ["--import", 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.20.2"})', ...args],
      { cwd: emptyDir, encoding: "utf8", timeout: 30_000 },
    );
  const config = pathToFileURL(path.join(root, "next.config.mjs")).href;

  it.each([
    ["npm start", [path.join(root, "scripts/start.mjs")]],
    ["the CLI", [path.join(root, "bin/provenance.mjs"), "--help"]],
    [
      "next dev, build and start (next.config.mjs)",
      ["--input-type=module", "-e", `await import(${JSON.stringify(config)}); console.log("loaded")`],
    ],
  ])("%s stops with a clear message", (_, args) => {
    const result = onNode20(...args);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Provenance runs on Node.js 24");
    expect(result.stderr).toContain("this is Node.js 20.20.2.");
    expect(result.stdout).not.toContain("loaded");
  });
});
