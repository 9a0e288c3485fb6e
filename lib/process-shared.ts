/**
 * One instance per process of a piece of in-memory state, however many copies of the module
 * that asks for it are loaded. Next bundles the instrumentation hook (and the fast path in front
 * of Next) separately from the route handlers, so a plain module-level `new Map()` would exist
 * once per bundle: two value caches, two sets of in-flight calls, two breakers that each see half
 * the failures. State kept here lives on globalThis under `Symbol.for("provenance.<name>")`,
 * which every bundle resolves to the same key.
 */
export function processShared<T>(name: string, create: () => T): T {
  const key = Symbol.for(`provenance.${name}`);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  let value = holder[key];
  if (value === undefined) {
    value = create();
    holder[key] = value;
  }
  return value;
}
