import { z } from "zod";
import type * as Client from "@/client/src/types";
import { secretProviderSchema } from "../secret-view";
import { timestamp } from "@/lib/validation/view-shapes";

/**
 * The answers of resolve: the only ones that carry a value. The TypeScript client
 * (client/src/types.ts) keeps its own copy, since it ships without zod; the checks at the end fail
 * to compile when an answer stops fitting it.
 */
export const resolvedSecretSchema = z
  .strictObject({
    secretPath: z.string(),
    value: z.string(),
    provider: secretProviderSchema,
    version: z.string().nullable(),
    cached: z.boolean(),
    stale: z.boolean().describe("true when the manager could not be reached and the last value is served (within the stale window)"),
    fetchedAt: timestamp,
  })
  .meta({ id: "ResolvedSecret" });
export type ResolvedSecret = z.infer<typeof resolvedSecretSchema>;

export const resolveFailureSchema = z.strictObject({ code: z.string(), message: z.string() }).meta({ id: "ResolveFailure" });
export type ResolveFailure = z.infer<typeof resolveFailureSchema>;

export const batchResolvedSchema = z
  .strictObject({
    values: z.record(z.string(), z.string()).describe("Each resolved path's value"),
    errors: z.record(z.string(), resolveFailureSchema).describe("Each failed path's reason"),
  })
  .meta({ id: "BatchResolved" });
export type BatchResolveResult = z.infer<typeof batchResolvedSchema>;

// The client's types must accept every answer the schemas allow.
type Fits<Answer extends Target, Target> = Answer;
export type ClientFits = [
  Fits<ResolvedSecret, Client.ResolvedSecret>,
  Fits<ResolveFailure, Client.ResolveFailure>,
  Fits<BatchResolveResult, Client.BatchResolveResult>,
];
