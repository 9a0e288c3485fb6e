// `npm run test:leaks`: the last step of `npm test`. Searches everything the integration and
// browser suites recorded (test-results/leak-scan: responses, rendered pages, server logs) for
// the sensitive strings the tests registered, and fails listing where one appeared (redacted).
// `--reset` empties the directory instead; `npm test` does that first, so stale artefacts from an
// earlier run can neither hide nor invent a leak.
import { mkdirSync, rmSync } from "node:fs";
import { LEAK_SCAN_DIR, type Source } from "../tests/support/leak-scan/record";
import { findLeaks, readArtefacts } from "../tests/support/leak-scan/scan";

if (process.argv.includes("--reset")) {
  rmSync(LEAK_SCAN_DIR, { recursive: true, force: true });
  mkdirSync(LEAK_SCAN_DIR, { recursive: true });
  process.exit(0);
}

const artefacts = readArtefacts(LEAK_SCAN_DIR);
const problems: string[] = [];
for (const source of ["integration", "e2e"] as Source[]) {
  const responses = artefacts.responses.filter((r) => r.source === source);
  const sensitive = artefacts.sensitive.filter((s) => s.source === source);
  const logs = artefacts.logs.filter((l) => l.source === source);
  const counts = new Map<string, number>();
  for (const entry of sensitive) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
  const byKind = [...counts].map(([kind, count]) => `${count} ${kind}`);
  console.log(
    `leak scan, ${source}: ${responses.filter((r) => r.kind === "response").length} responses, ` +
      `${responses.filter((r) => r.kind === "page").length} rendered pages, ${logs.length} server logs; ` +
      `sensitive strings: ${byKind.join(", ") || "none"}`,
  );
  // An empty record would pass vacuously: the suites must have run in this `npm test`.
  if (responses.length === 0 || sensitive.length === 0 || logs.length === 0) {
    problems.push(
      `nothing (or no server log) recorded by the ${source} suite in ${LEAK_SCAN_DIR}: run it first (npm test runs everything in order)`,
    );
  }
  for (const log of logs) if (log.text === null) problems.push(`the ${source} server log ${log.file} is gone`);
}

const findings = findLeaks(artefacts);
for (const finding of findings) problems.push(`${finding.kind} "${finding.name}" (${finding.redacted}) in ${finding.where}`);
if (problems.length > 0) {
  console.error(`leak scan FAILED (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("leak scan: no sensitive string outside the answers allowed to carry it");
