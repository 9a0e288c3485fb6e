import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMPILE_HINT, hintedChunks } from "../../scripts/compile-hints.mjs";

const NEXT_DIR = path.resolve(__dirname, "../../.next");

/**
 * The App Router runtime's chunks carry V8's compile hint as their first line (scripts/compile-hints.mjs),
 * in the build and in the standalone server's copy that `npm start` and the container serve.
 */
describe("compile hints", () => {
  it("mark every chunk of the App Router runtime, where the standalone server serves it too", () => {
    if (!existsSync(path.join(NEXT_DIR, "build-manifest.json"))) throw new Error("build the app first (npm run build)");
    const chunks = hintedChunks(NEXT_DIR);
    // React DOM and Next's router are in there: the runtime is several chunks, never none.
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      const served = path.join(NEXT_DIR, "standalone", ".next", path.relative(NEXT_DIR, chunk));
      for (const file of [chunk, served]) expect(readFileSync(file, "utf8").startsWith(COMPILE_HINT), file).toBe(true);
    }
  });
});
