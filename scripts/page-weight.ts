import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { PAGE_SCRIPTS } from "../lib/page-scripts";

/**
 * First-load JavaScript per page of a production build, read from the manifests `next build`
 * writes. Sizes are gzipped at zlib's default level, as `next start` compresses them. Chunks loaded
 * later (a `next/dynamic` component, a route navigated to) are not first-load and are not counted.
 *
 * App Router pages: the runtime every such page loads (build-manifest.json `rootMainFiles`) plus
 * the chunks of every client entry in the page's tree (each page's
 * `*_client-reference-manifest.js`, `entryJSFiles`: root layout, not-found and error boundaries,
 * nested layouts, the page).
 *
 * Pages Router pages (server/pages-manifest.json; those of lib/page-scripts.ts): Next's scripts for the page
 * (build-manifest.json `pages`, the page's and `/_app`'s) unless the page's built server code
 * turns them off (`unstable_runtimeJS: false`; when that cannot be found they are counted), plus
 * the page's own scripts from public/ (lib/page-scripts.ts).
 *
 * Files are named by the URL the browser loads them from (`/_next/static/chunks/…`, `/sign-in.js`),
 * so they can be compared with a page's script tags.
 *
 * `npx tsx scripts/page-weight.ts` prints the table for the build in .next/.
 */
export interface PageWeight {
  /** The URL pattern: `/secrets/[id]`. */
  route: string;
  /** Gzipped bytes of all first-load scripts. */
  total: number;
  /** Of which the runtime every App Router page shares (React, Next's router, Turbopack's loader); 0 on a page without it. */
  runtime: number;
  /** Of which this page's own (layouts, boundaries, the page; a Pages Router page's scripts). */
  own: number;
  files: string[];
}

export function measurePageWeights(nextDir: string): { runtime: { files: string[]; bytes: number }; pages: PageWeight[] } {
  const sizes = new Map<string, number>();
  const gzipped = (url: string) => {
    let size = sizes.get(url);
    if (size === undefined) {
      size = gzipSync(readFileSync(diskPathOf(nextDir, url))).length;
      sizes.set(url, size);
    }
    return size;
  };
  const sum = (urls: string[]) => urls.reduce((total, url) => total + gzipped(url), 0);
  const buildManifest = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
    pages: Record<string, string[]>;
  };
  const runtimeFiles = buildManifest.rootMainFiles.map(nextUrl);
  const runtime = sum(runtimeFiles);

  const pages: PageWeight[] = [];
  for (const manifestFile of clientReferenceManifests(path.join(nextDir, "server/app"))) {
    const { page, entryJSFiles } = readClientReferenceManifest(manifestFile);
    if (!page.endsWith("/page")) continue; // route handlers ship no JavaScript
    const own = [...new Set(Object.values(entryJSFiles).flat().map(nextUrl))].filter((file) => !runtimeFiles.includes(file));
    const ownBytes = sum(own);
    pages.push({ route: routeOf(page), total: runtime + ownBytes, runtime, own: ownBytes, files: [...runtimeFiles, ...own] });
  }
  for (const [route, serverFile] of Object.entries(pagesRouterPages(nextDir))) {
    const next = pagesRouterRuntimeOff(nextDir, serverFile)
      ? []
      : [...new Set([...(buildManifest.pages["/_app"] ?? []), ...(buildManifest.pages[route] ?? [])])]
          .filter((f) => f.endsWith(".js"))
          .map(nextUrl);
    const own = [...(PAGE_SCRIPTS[route] ?? [])];
    const nextBytes = sum(next);
    const ownBytes = sum(own);
    pages.push({ route, total: nextBytes + ownBytes, runtime: nextBytes, own: ownBytes, files: [...next, ...own] });
  }
  pages.sort((a, b) => a.route.localeCompare(b.route));
  return { runtime: { files: runtimeFiles, bytes: runtime }, pages };
}

/** `static/chunks/x.js` (as the manifests name it) → `/_next/static/chunks/x.js`. */
const nextUrl = (file: string) => `/_next/${file}`;

/** Where `next start` serves a script from: .next/static, or public/ next to .next. */
function diskPathOf(nextDir: string, url: string): string {
  if (url.startsWith("/_next/")) return path.join(nextDir, url.slice("/_next/".length));
  return path.join(nextDir, "../public", url);
}

/**
 * The Pages Router's pages with the server file each is built into. `/_app`, `/_document`, `/_error`
 * are no pages, and `/500` is what Next answers in place of a page that failed (pages/500.tsx, no script).
 */
function pagesRouterPages(nextDir: string): Record<string, string> {
  const file = path.join(nextDir, "server/pages-manifest.json");
  if (!existsSync(file)) return {};
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(manifest).filter(([route]) => !route.startsWith("/_") && !route.startsWith("/api/") && route !== "/500"),
  );
}

/**
 * Does the page's built server code say `unstable_runtimeJS: false` (minified `!1`)? Read from the
 * page's server entry and the chunks it loads: when the setting cannot be found, Next's scripts
 * are counted, so a change in the build's output makes the page heavier here, never lighter.
 */
function pagesRouterRuntimeOff(nextDir: string, serverFile: string): boolean {
  const entry = readFileSync(path.join(nextDir, "server", serverFile), "utf8");
  const chunks = [...entry.matchAll(/"(server\/chunks\/[^"]+\.js)"/g)].map((match) => match[1]!);
  return [entry, ...chunks.map((chunk) => readFileSync(path.join(nextDir, chunk), "utf8"))].some((code) =>
    /\bunstable_runtimeJS\s*:\s*(?:!1|false)\b/.test(code),
  );
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
  console.log(`runtime (every App Router page): ${kib(runtime.bytes)} KiB gzipped`);
  for (const page of pages) console.log(`${page.route.padEnd(36)} ${kib(page.total).padStart(6)} KiB  (own ${kib(page.own)})`);
}
