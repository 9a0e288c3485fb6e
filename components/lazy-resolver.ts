"use client";

import { useEffect } from "react";
import type { FieldValues, Resolver } from "react-hook-form";
import type { ZodType } from "zod";
import { whenIdle } from "./when-idle";

/**
 * A react-hook-form resolver that checks with the API's own zod schema, loaded on first use: the
 * schema module (and with it zod and @hookform/resolvers, about 27 KiB gzipped) is not part of the
 * page's first load. Validation is the same zodResolver with the same schema, so the messages are
 * the API's; the first check waits for the module, and `useWarmResolver` fetches it once the
 * browser is idle after hydration so that wait is normally over before anyone leaves a field.
 *
 * `load` imports the schema module (`() => import("./x-schema")`); `schemaOf` picks the schema from
 * it, given the values being checked (for forms whose rules follow a field, e.g. the provider type).
 */
export interface LazyResolver<T extends FieldValues> extends Resolver<T> {
  /** Starts loading the schema module and the resolver (idempotent: the imports are cached). */
  warm: () => Promise<unknown>;
}

export function lazyZodResolver<T extends FieldValues, M>(
  load: () => Promise<M>,
  schemaOf: (module: M, values: T) => ZodType,
  options?: { raw?: boolean },
): LazyResolver<T> {
  const modules = () => Promise.all([load(), import("@hookform/resolvers/zod")]);
  const resolver: Resolver<T> = async (values, context, resolverOptions) => {
    const [module, { zodResolver }] = await modules();
    const run = zodResolver(schemaOf(module, values) as never, undefined, options as never) as unknown as Resolver<T>;
    return run(values, context, resolverOptions);
  };
  return Object.assign(resolver, { warm: modules });
}

/** Loads the resolver's modules when the browser is next idle after the form mounts. */
export function useWarmResolver<T extends FieldValues>(resolver: LazyResolver<T>): void {
  // A failed prefetch is no error: the first check imports again.
  useEffect(() => whenIdle(() => void resolver.warm().catch(() => undefined)), [resolver]);
}
