import type { Actor } from "@/lib/auth/actor";
import { parseScope, scopeAllows } from "@/lib/auth/scope";
import { db, type Db } from "@/lib/db/client";
import { notFound, validationError } from "@/lib/errors";
import { looksLikeId } from "@/lib/ids";
import { isProviderType, PROVIDER_TYPES } from "@/lib/providers/registry";
import { decodeCursor, encodeCursor, PAGE_LIMIT_MAX, parsePageLimit } from "./secret-cursor";
import { isValidPrefix, matchesPrefix } from "./secret-path";
import { PROVENANCE_PROVIDER } from "./secret-schemas";
import { secretViewSelect, toSecretView, type SecretRow, type SecretView } from "./secret-view";

export interface ListSecretsFilter {
  prefix?: string | null;
  provider?: string | null;
  secretProviderId?: string | null;
}

/** A page as the caller asked for it: raw query values, checked here. */
export interface SecretPageRequest {
  /** 1..PAGE_LIMIT_MAX; absent means everything from the cursor on. */
  limit?: string | number | null;
  /** From a previous page's nextCursor: the secrets after it. */
  cursor?: string | null;
  /** From a page's previousCursor: the secrets before it (the dashboard's Previous). */
  before?: string | null;
}

export interface SecretPage {
  secrets: SecretView[];
  /** Set when more secrets follow this page. */
  nextCursor: string | null;
  /** Set when secrets come before this page (a `before` cursor). */
  previousCursor: string | null;
}

type SecretWhere = NonNullable<NonNullable<Parameters<Db["secret"]["findMany"]>[0]>["where"]>;

/**
 * How one listing reads the table: `where` narrows in the database (coarsely: Prisma's startsWith
 * is a LIKE, case-insensitive on SQLite and with `_` as a wildcard), `visible` is the exact rule
 * (dotted prefix, case-sensitive, the caller's scope).
 */
interface Listing {
  where: SecretWhere;
  visible: (secretPath: string) => boolean;
}

/** GET /api/secrets[?prefix=a.b] — the whole list the caller may see: a scoped token sees only its paths. */
export async function listSecrets(options: { actor: Actor; filter?: ListSecretsFilter }): Promise<SecretView[]> {
  return (await listSecretsPage({ ...options, page: {} })).secrets;
}

/**
 * One page of the list in secretPath order. Pages are full pages of what the caller may see: rows
 * the database returns but the exact rule drops are replaced by reading further, so a scope or a
 * prefix never leaves holes.
 */
export async function listSecretsPage(options: { actor: Actor; filter?: ListSecretsFilter; page: SecretPageRequest }): Promise<SecretPage> {
  const { limit, after, before } = checkRequest(options.filter ?? {}, options.page);
  const listing = listingFor(options.actor, options.filter ?? {});
  if (!listing) return { secrets: [], nextCursor: null, previousCursor: null };

  if (before !== null && limit !== null) {
    const earlier = await seek(listing, "desc", before, limit + 1);
    // Fewer than a page before it: that is the start of the list, shown as the full first page.
    if (earlier.length > limit) {
      const rows = earlier.slice(0, limit).reverse();
      const last = rows[rows.length - 1]!.secretPath;
      const more = await seek(listing, "asc", last, 1);
      return {
        secrets: rows.map(toSecretView),
        nextCursor: more.length > 0 ? encodeCursor(last) : null,
        previousCursor: encodeCursor(rows[0]!.secretPath),
      };
    }
    return pageAfter(listing, null, limit);
  }
  return pageAfter(listing, after, limit);
}

async function pageAfter(listing: Listing, after: string | null, limit: number | null): Promise<SecretPage> {
  const found = await seek(listing, "asc", after, limit === null ? null : limit + 1);
  const rows = limit === null ? found : found.slice(0, limit);
  const nextCursor = limit !== null && found.length > limit ? encodeCursor(rows[rows.length - 1]!.secretPath) : null;
  const first = rows[0]?.secretPath;
  const earlier = after !== null && first !== undefined ? await seek(listing, "desc", first, 1) : [];
  return { secrets: rows.map(toSecretView), nextCursor, previousCursor: earlier.length > 0 ? encodeCursor(first!) : null };
}

/**
 * Up to `count` visible rows (all of them when null) after `from` in `direction`'s order. Usually
 * one query; more only when the coarse database filter let through rows the exact rule drops.
 */
async function seek(listing: Listing, direction: "asc" | "desc", from: string | null, count: number | null): Promise<SecretRow[]> {
  const found: SecretRow[] = [];
  let position = from;
  for (let round = 0; ; round++) {
    const needed = count === null ? null : count - found.length;
    // After a round with dropped rows, read in larger steps so that a crowd of near-misses costs few queries.
    const take = needed === null ? undefined : round === 0 ? needed : Math.max(needed, 500);
    const rows = await db().secret.findMany({
      where:
        position === null
          ? listing.where
          : { AND: [listing.where, { secretPath: direction === "asc" ? { gt: position } : { lt: position } }] },
      select: secretViewSelect,
      orderBy: { secretPath: direction },
      ...(take === undefined ? {} : { take }),
    });
    for (const row of rows) {
      if (!listing.visible(row.secretPath)) continue;
      found.push(row);
      if (count !== null && found.length === count) return found;
    }
    if (take === undefined || rows.length < take) return found;
    position = rows[rows.length - 1]!.secretPath;
  }
}

function checkRequest(
  filter: ListSecretsFilter,
  page: SecretPageRequest,
): { limit: number | null; after: string | null; before: string | null } {
  const { prefix, provider, secretProviderId } = filter;
  const fields: Record<string, string> = {};
  if (prefix && !isValidPrefix(prefix)) fields.prefix = "Prefix must be a dotted secret path such as stripe or stripe.live";
  if (provider && provider !== PROVENANCE_PROVIDER && !isProviderType(provider)) {
    fields.provider = `Provider must be "${PROVENANCE_PROVIDER}" or one of ${PROVIDER_TYPES.join(", ")}`;
  }
  if (secretProviderId && !looksLikeId(secretProviderId)) fields.secretProviderId = "Not a connection id";
  const limit = page.limit == null ? null : parsePageLimit(String(page.limit));
  if (page.limit != null && limit === null) fields.limit = `Limit must be a whole number from 1 to ${PAGE_LIMIT_MAX}`;
  const after = page.cursor == null ? null : decodeCursor(page.cursor);
  if (page.cursor != null && after === null)
    fields.cursor = "Not a cursor from this list: use the X-Next-Cursor (or Link) of the previous page";
  const before = page.before == null ? null : decodeCursor(page.before);
  if (page.before != null && before === null) fields.before = "Not a cursor from this list";
  if (after !== null && before !== null) fields.before = "Give cursor or before, not both";
  if (before !== null && limit === null) fields.limit = "A page before a cursor needs a limit";
  if (Object.keys(fields).length > 0) throw validationError(fields);
  return { limit, after, before };
}

/** The listing for this caller and filter, or null when the caller's scope can match nothing. */
function listingFor(actor: Actor, filter: ListSecretsFilter): Listing | null {
  const { prefix, provider, secretProviderId } = filter;
  const scope = scopeWhere(actor.scope);
  if (scope === null) return null;
  const where: SecretWhere[] = [scope];
  if (prefix) where.push({ secretPath: { startsWith: prefix.replace(/\.$/, "") } });
  if (provider) where.push({ provider });
  if (secretProviderId) where.push({ secretProviderId });
  return {
    where: { AND: where },
    visible: (secretPath) => (!prefix || matchesPrefix(secretPath, prefix)) && scopeAllows(actor.scope, secretPath),
  };
}

/**
 * A path scope as a database filter, so that a scoped caller's pages are read from its own
 * secrets rather than filtered out of everyone's. Null: the scope matches nothing.
 */
export function scopeWhere(scope: string | null): SecretWhere | null {
  if (scope === null) return {};
  const patterns = parseScope(scope);
  if (!patterns) return null;
  if (patterns.includes("*")) return {};
  return {
    OR: patterns.map((pattern) =>
      pattern.endsWith(".*") ? { secretPath: { startsWith: pattern.slice(0, -1) } } : { secretPath: pattern },
    ),
  };
}

// GET /api/secrets/:id — 404 also when the caller's scope does not cover it (it is not theirs to see)
export async function getSecret(options: { actor: Actor; id: string }): Promise<SecretView> {
  const row = await db().secret.findUnique({ where: { id: options.id }, select: secretViewSelect });
  if (!row || !scopeAllows(options.actor.scope, row.secretPath)) throw notFound("Secret");
  return toSecretView(row);
}
