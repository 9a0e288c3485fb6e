import type * as DashboardLists from "./dashboard-lists";

/**
 * How a Pages Router page's getServerSideProps reaches server-only code. Next refuses any import
 * of a `server-only` module from pages/ (the rule is about client bundles, but it is checked on
 * the whole directory), so the loaders are handed over once at start-up instead: instrumentation.ts,
 * which runs before the first request, imports them and provides them here.
 */
export type PageLoaders = Pick<typeof DashboardLists, "loadProvidersList" | "loadSecretsList">;

const KEY = Symbol.for("provenance.pageLoaders");
type Holder = { [KEY]?: PageLoaders };

export function providePageLoaders(loaders: PageLoaders): void {
  (globalThis as Holder)[KEY] = loaders;
}

export function pageLoaders(): PageLoaders {
  const loaders = (globalThis as Holder)[KEY];
  if (!loaders) throw new Error("The page loaders are not provided: instrumentation.ts provides them at start-up.");
  return loaders;
}
