import type { ListSecretsFilter } from "./read-secrets";

/**
 * The Secrets page's address: its filters, the view, and at most one of cursor (after) or before.
 * Pure, shared by the page's loader (lib/pages/dashboard-lists.ts) and its markup
 * (pages/secrets/index.tsx), so every link the page makes reads back as the same page.
 */
export type SecretsView = "folders" | "list";

export interface SecretsFilter {
  prefix: string;
  provider: string;
  secretProviderId: string;
}

/**
 * Folders (the next path segment under the prefix), unless the list is narrowed to one source:
 * "the secrets using this connection" (where a connection's delete dialog leads) reads best as one
 * list, wherever in the tree they sit.
 */
export function defaultView(filter: ListSecretsFilter): SecretsView {
  return filter.provider || filter.secretProviderId ? "list" : "folders";
}

/** A bookmarkable address of a page. */
export function secretsHref(filter: ListSecretsFilter, view: SecretsView, position: { cursor?: string; before?: string }): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...(view !== defaultView(filter) ? { view } : {}), ...position }))
    if (value) query.set(key, value);
  const text = query.toString();
  return text ? `/secrets?${text}` : "/secrets";
}
