import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { LogFileEntry, ResponseRecord, SensitiveEntry, Source } from "./record";

/**
 * Searches the leak-scan artefacts (record.ts) for the sensitive strings the tests registered:
 * - a stored value may appear only in resolve answers (`/api/secrets/resolve`) and the
 *   dashboard's reveal answer (a server action answering a ResolvedSecret);
 * - a credential or the master key, nowhere;
 * - a token only in the answer that created it: the one registered with it, or, for a token the
 *   tests never saw created (the dashboard's), the first answer to a POST that carries it. Any
 *   `pvn_…` token in a later answer or in a log line is a leak, registered or not;
 * - server logs may carry none of them.
 */
export interface Finding {
  name: string;
  kind: SensitiveEntry["kind"];
  /** The value, redacted: its first characters and length. */
  redacted: string;
  where: string;
}

export interface Artefacts {
  responses: ResponseRecord[];
  sensitive: SensitiveEntry[];
  logs: Array<LogFileEntry & { text: string | null }>;
}

const TOKEN = /pvn_[A-Za-z0-9_-]{43}/g;

export function readArtefacts(dir: string): Artefacts {
  const artefacts: Artefacts = { responses: [], sensitive: [], logs: [] };
  if (!existsSync(dir)) return artefacts;
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".jsonl")) continue;
    const lines = readFileSync(path.join(dir, file), "utf8").split("\n").filter(Boolean);
    const entries = lines.map((line) => JSON.parse(line) as unknown);
    if (file.startsWith("responses-")) artefacts.responses.push(...(entries as ResponseRecord[]));
    else if (file.startsWith("sensitive-")) artefacts.sensitive.push(...(entries as SensitiveEntry[]));
    else if (file.startsWith("logs-")) {
      for (const entry of entries as LogFileEntry[])
        artefacts.logs.push({ ...entry, text: existsSync(entry.file) ? readFileSync(entry.file, "utf8") : null });
    }
  }
  return artefacts;
}

export function redactValue(value: string): string {
  return `${value.slice(0, 4)}…[${value.length} chars]`;
}

function isResolveAnswer(record: ResponseRecord): boolean {
  const pathname = new URL(record.url, "http://x").pathname;
  if (record.kind === "response" && pathname === "/api/secrets/resolve") return true;
  // The dashboard's reveal: a server action whose answer is a ResolvedSecret.
  return record.kind === "response" && record.serverAction === true && /"fetchedAt"/.test(record.body) && /"stale"/.test(record.body);
}

function describe(record: ResponseRecord, part: string): string {
  const what = record.kind === "page" ? `rendered page ${record.url}` : `${record.method} ${record.url} → ${record.status}`;
  return `${record.source} ${what} (${part}, record ${record.id})`;
}

export function findLeaks(artefacts: Artefacts): Finding[] {
  const findings: Finding[] = [];
  const bySource = (source: Source) => artefacts.sensitive.filter((entry) => entry.source === source);
  const registeredTokens = new Map<string, SensitiveEntry>();
  for (const entry of artefacts.sensitive) if (entry.kind === "token") registeredTokens.set(entry.value, entry);
  const firstSeen = new Map<string, string>();

  for (const record of artefacts.responses) {
    const parts: Array<[string, string]> = [
      ["body", record.body],
      [
        "headers",
        Object.entries(record.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join("\n"),
      ],
    ];
    for (const entry of bySource(record.source)) {
      if (entry.kind === "token") continue; // below, with every token-shaped string
      if (entry.kind === "value" && isResolveAnswer(record)) continue;
      for (const [part, text] of parts) {
        if (text.includes(entry.value))
          findings.push({ name: entry.name, kind: entry.kind, redacted: redactValue(entry.value), where: describe(record, part) });
      }
    }
    for (const [part, text] of parts) {
      for (const token of new Set(text.match(TOKEN) ?? [])) {
        const registered = registeredTokens.get(token);
        if (registered?.exemptResponses?.includes(record.id)) continue;
        if (!registered && !firstSeen.has(token) && record.kind === "response" && record.method === "POST" && record.status < 300) {
          firstSeen.set(token, record.id); // the dashboard's creation answer
          continue;
        }
        findings.push({
          name: registered?.name ?? "an API token",
          kind: "token",
          redacted: redactValue(token),
          where: describe(record, part),
        });
      }
    }
  }

  for (const log of artefacts.logs) {
    if (log.text === null) continue;
    for (const entry of bySource(log.source)) {
      if (entry.kind !== "token" && log.text.includes(entry.value)) {
        findings.push({
          name: entry.name,
          kind: entry.kind,
          redacted: redactValue(entry.value),
          where: `${log.source} server log ${log.file}`,
        });
      }
    }
    for (const token of new Set(log.text.match(TOKEN) ?? [])) {
      findings.push({
        name: registeredTokens.get(token)?.name ?? "an API token",
        kind: "token",
        redacted: redactValue(token),
        where: `${log.source} server log ${log.file}`,
      });
    }
  }
  return findings;
}
