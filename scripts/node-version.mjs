// The Node.js releases Provenance runs on are the ones package.json's "engines" names (one caret
// range, "^24.11.0"). npm only warns about engines; the entry points (`npm start`, `npm run dev`,
// `npm run build`, the CLI) call exitOnUnsupportedNode() so that another Node stops with a clear
// message instead of failing later on a native addon built for another Node or a missing API.
import { readFileSync } from "node:fs";

const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** Why `version` (e.g. "20.20.2") cannot run Provenance, or null when it can. */
export function unsupportedNodeReason(version = process.versions.node, range = packageJson.engines.node) {
  const wanted = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!wanted) throw new Error(`package.json "engines.node" must be one caret range such as "^24.11.0", not "${range}".`);
  const [major, minor, patch] = wanted.slice(1).map(Number);
  const have = version.split(".").map(Number);
  const supported = have[0] === major && (have[1] > minor || (have[1] === minor && have[2] >= patch));
  if (supported) return null;
  return [
    `Provenance runs on Node.js ${major} (${major}.${minor}.${patch} or a newer ${major}.x, "engines" in package.json); this is Node.js ${version}.`,
    `Install Node.js ${major} LTS, or put one first on PATH from a checkout with \`. .ci/node.sh\` (it fetches it from the npm registry).`,
  ].join("\n");
}

export function exitOnUnsupportedNode() {
  const reason = unsupportedNodeReason();
  if (reason === null) return;
  console.error(reason);
  process.exit(1);
}
