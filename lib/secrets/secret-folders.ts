import type { Actor } from "@/lib/auth/actor";
import { validationError } from "@/lib/errors";
import { listSecretsPage, type ListSecretsFilter, type SecretPage } from "./read-secrets";
import { decodeCursor, encodeCursor, PAGE_LIMIT_MAX } from "./secret-cursor";
import { isValidPrefix } from "./secret-path";
import type { SecretView } from "./secret-view";

/**
 * The Secrets page as folders: the secrets under a prefix grouped by their next path segment
 * (`stripe` holds `stripe.live.key` in the folder `live`), with counts, and the secrets that sit
 * directly at this level in pages. Read through the paginated listing (listSecretsPage), so a
 * caller's scope and the filters apply exactly as in the flat list and the API.
 */
export interface SecretFolder {
  /** The next segment: `live`. */
  name: string;
  /** The folder's own prefix: `stripe.live`. */
  prefix: string;
  /** Secrets anywhere below it. */
  count: number;
}

export interface SecretFolderView {
  /** The prefix shown, without a trailing dot; "" for the top. */
  prefix: string;
  folders: SecretFolder[];
  /** Secrets directly at this level (`stripe.apiKey` under `stripe`), one page of them. */
  page: SecretPage;
  /** How many secrets directly at this level, and under it in all. */
  here: number;
  total: number;
}

/** Rows read per query while grouping: the listing's largest page. */
const SCAN_PAGE = PAGE_LIMIT_MAX;

export async function listSecretFolder(options: {
  actor: Actor;
  filter: ListSecretsFilter;
  page: { limit: number; cursor?: string | null; before?: string | null };
}): Promise<SecretFolderView> {
  const prefix = (options.filter.prefix ?? "").trim().replace(/\.$/, "");
  if (!isValidPrefix(prefix)) throw validationError({ prefix: "Prefix must be a dotted secret path such as stripe or stripe.live" });
  const after = options.page.cursor ? decodeCursor(options.page.cursor) : null;
  if (options.page.cursor && after === null) throw validationError({ cursor: "Not a cursor from this list" });
  const before = options.page.before ? decodeCursor(options.page.before) : null;
  if (options.page.before && before === null) throw validationError({ before: "Not a cursor from this list" });

  // Below the prefix only: the secret named exactly `stripe` is listed one level up, beside the folder.
  const below = prefix === "" ? "" : `${prefix}.`;
  const folders = new Map<string, number>();
  const leaves: SecretView[] = [];
  let total = 0;
  let cursor: string | null = null;
  do {
    const scanned: SecretPage = await listSecretsPage({
      actor: options.actor,
      filter: { ...options.filter, prefix: below },
      page: { limit: SCAN_PAGE, cursor },
    });
    for (const secret of scanned.secrets) {
      total++;
      const rest = secret.secretPath.slice(below.length);
      const dot = rest.indexOf(".");
      if (dot === -1) leaves.push(secret);
      else folders.set(rest.slice(0, dot), (folders.get(rest.slice(0, dot)) ?? 0) + 1);
    }
    cursor = scanned.nextCursor;
  } while (cursor !== null);

  // One order for the page and its cursors, whatever the database's collation.
  leaves.sort((a, b) => compare(a.secretPath, b.secretPath));
  return {
    prefix,
    folders: [...folders].sort(([a], [b]) => compare(a, b)).map(([name, count]) => ({ name, prefix: `${below}${name}`, count })),
    page: pageOf(leaves, options.page.limit, after, before),
    here: leaves.length,
    total,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The page after `after` (or before `before`) of the sorted leaves; fewer than a page before is the first page. */
function pageOf(leaves: SecretView[], limit: number, after: string | null, before: string | null): SecretPage {
  let start = 0;
  if (before !== null) {
    const end = leaves.findIndex((s) => s.secretPath >= before);
    start = Math.max(0, (end === -1 ? leaves.length : end) - limit);
  } else if (after !== null) {
    const next = leaves.findIndex((s) => s.secretPath > after);
    start = next === -1 ? leaves.length : next;
  }
  const secrets = leaves.slice(start, start + limit);
  return {
    secrets,
    nextCursor: start + limit < leaves.length && secrets.length > 0 ? encodeCursor(secrets[secrets.length - 1]!.secretPath) : null,
    previousCursor: start > 0 && secrets.length > 0 ? encodeCursor(secrets[0]!.secretPath) : null,
  };
}
