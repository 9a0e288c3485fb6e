import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * First-load JavaScript per page of a production build, read from the manifests `next build`
 * writes: the runtime every page loads (build-manifest.json `rootMainFiles`) plus the chunks of
 * every client entry in the page's tree (each page's `*_client-reference-manifest.js`,
 * `entryJSFiles`: root layout, not-found and error boundaries, nested layouts, the page). Sizes are
 * gzipped at zlib's default level, as `next start` compresses them. Chunks loaded later (a
 * `next/dynamic` component, a route navigated to) are not first-load and are not counted.
 *
 * `npx tsx scripts/page-weight.ts` prints the table for the build in .next/.
 */
export interface PageWeight {
  /** The URL pattern: `/secrets/[id]`. */
  route: string;
  /** Gzipped bytes of all first-load chunks. */
  total: number;
  /** Of which the runtime every page shares (React, Next's router, Turbopack's loader). */
  runtime: number;
  /** Of which this page's own tree (layouts, boundaries, the page). */
  own: number;
  files: string[];
}

export function measurePageWeights(nextDir: string): { runtime: { files: string[]; bytes: number }; pages: PageWeight[] } {
  const sizes = new Map<string, number>();
  const gzipped = (file: string) => {
    let size = sizes.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(nextDir, file))).length;
      sizes.set(file, size);
    }
    return size;
  };
  const buildManifest = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const runtimeFiles = buildManifest.rootMainFiles;
  const runtime = runtimeFiles.reduce((sum, file) => sum + gzipped(file), 0);

  const pages: PageWeight[] = [];
  for (const manifestFile of clientReferenceManifests(path.join(nextDir, "server/app"))) {
    const { page, entryJSFiles } = readClientReferenceManifest(manifestFile);
    if (!page.endsWith("/page")) continue; // route handlers ship no JavaScript
    const own = [...new Set(Object.values(entryJSFiles).flat())].filter((file) => !runtimeFiles.includes(file));
    const ownBytes = own.reduce((sum, file) => sum + gzipped(file), 0);
    pages.push({ route: routeOf(page), total: runtime + ownBytes, runtime, own: ownBytes, files: [...runtimeFiles, ...own] });
  }
  pages.sort((a, b) => a.route.localeCompare(b.route));
  return { runtime: { files: runtimeFiles, bytes: runtime }, pages };
}

function clientReferenceManifests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return clientReferenceManifests(full);
    return name.endsWith("_client-reference-manifest.js") ? [full] : [];
  });
}

/** The manifest is a script assigning one JSON object: `globalThis.__RSC_MANIFEST["/login/page"] = {...}`. */
function readClientReferenceManifest(file: string): { page: string; entryJSFiles: Record<string, string[]> } {
  const match = /__RSC_MANIFEST\["([^"]+)"\]\s*=\s*(\{[\s\S]*\})\s*;?\s*$/.exec(readFileSync(file, "utf8"));
  if (!match) throw new Error(`${file}: not a client reference manifest this check can read (has next build changed its format?)`);
  const manifest = JSON.parse(match[2]!) as { entryJSFiles?: Record<string, string[]> };
  if (!manifest.entryJSFiles) throw new Error(`${file}: no entryJSFiles`);
  return { page: match[1]!, entryJSFiles: manifest.entryJSFiles };
}

/** `/(dashboard)/secrets/[id]/page` → `/secrets/[id]`; route groups are not part of the URL. */
function routeOf(page: string): string {
  const route = page
    .replace(/\/page$/, "")
    .split("/")
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .join("/");
  return route === "" ? "/" : route;
}

export const kib = (bytes: number) => (bytes / 1024).toFixed(1);

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const { runtime, pages } = measurePageWeights(path.resolve(__dirname, "../.next"));
  console.log(`runtime (every page): ${kib(runtime.bytes)} KiB gzipped`);
  for (const page of pages) console.log(`${page.route.padEnd(36)} ${kib(page.total).padStart(6)} KiB  (own ${kib(page.own)})`);
}
