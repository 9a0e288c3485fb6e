import type { JsonWebKey } from "node:crypto";
import { fetchIssuerJson, issuerError } from "./fetch-issuer-json";

/**
 * The signing keys of an OIDC issuer: its discovery document's `jwks_uri`, fetched and kept per
 * issuer for KEYS_TTL_MS. A token signed with a key we do not hold (the issuer rotated its keys)
 * refetches the set once, at most every REFETCH_MIN_MS per issuer, so tokens with made-up key ids
 * cannot turn this server into a load generator against the issuer. Only issuers named by a trust
 * policy are ever fetched (the caller checks).
 */
export const KEYS_TTL_MS = 10 * 60 * 1000;
const REFETCH_MIN_MS = 60 * 1000;
const MAX_KEYS = 50;
const MAX_ISSUERS = 100;

interface KeySet {
  keys: JsonWebKey[];
  fetchedAt: number;
}

const globalForKeys = globalThis as typeof globalThis & {
  __provenanceIssuerKeys?: Map<string, KeySet>;
  __provenanceIssuerFetches?: Map<string, Promise<KeySet>>;
};
const cache = (globalForKeys.__provenanceIssuerKeys ??= new Map());
const inFlight = (globalForKeys.__provenanceIssuerFetches ??= new Map());

/** The issuer's keys with this `kid` (every key when the token names none), refetched once on a miss. */
export async function issuerKeys(issuer: string, kid: string | undefined, now = Date.now()): Promise<JsonWebKey[]> {
  let set = cache.get(issuer);
  if (!set || now - set.fetchedAt > KEYS_TTL_MS) set = await load(issuer);
  let found = select(set, kid);
  if (found.length === 0 && now - set.fetchedAt > REFETCH_MIN_MS) {
    set = await load(issuer);
    found = select(set, kid);
  }
  return found;
}

function select(set: KeySet, kid: string | undefined): JsonWebKey[] {
  return kid === undefined ? set.keys : set.keys.filter((key) => key.kid === kid);
}

/** One fetch per issuer at a time; concurrent exchanges wait for the same one. */
function load(issuer: string): Promise<KeySet> {
  let pending = inFlight.get(issuer);
  if (!pending) {
    pending = fetchKeySet(issuer).finally(() => inFlight.delete(issuer));
    inFlight.set(issuer, pending);
  }
  return pending;
}

async function fetchKeySet(issuer: string): Promise<KeySet> {
  const discovery = await fetchIssuerJson(issuer, `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`, "discovery document");
  // OpenID Connect Discovery: the document names the issuer it describes, exactly.
  if (discovery.issuer !== issuer) throw issuerError(issuer, "its discovery document names another issuer");
  if (typeof discovery.jwks_uri !== "string") throw issuerError(issuer, "its discovery document has no jwks_uri");
  const jwks = await fetchIssuerJson(issuer, discovery.jwks_uri, "JWKS");
  if (!Array.isArray(jwks.keys)) throw issuerError(issuer, "its JWKS has no keys array");
  const keys = jwks.keys
    .filter((key): key is JsonWebKey => typeof key === "object" && key !== null && !Array.isArray(key))
    .slice(0, MAX_KEYS);
  const set = { keys, fetchedAt: Date.now() };
  if (!cache.has(issuer) && cache.size >= MAX_ISSUERS) cache.delete(cache.keys().next().value!);
  cache.set(issuer, set);
  return set;
}

/** Tests: forget every fetched key set. */
export function forgetIssuerKeys(): void {
  cache.clear();
}
