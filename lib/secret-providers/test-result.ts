import { z } from "zod";

/**
 * The answer of a connection test. An upstream failure is a normal answer (ok: false), with the
 * manager's error as the API words it.
 */
const latencyMs = z.int().min(0);

export const testResultSchema = z
  .discriminatedUnion("ok", [
    z.strictObject({
      ok: z.literal(true),
      latencyMs,
      version: z.string().nullable().describe("With providerPath: the upstream version read").optional(),
      fingerprint: z.string().describe("With providerPath: a keyed fingerprint of the value (never the value)").optional(),
    }),
    z.strictObject({
      ok: z.literal(false),
      latencyMs,
      error: z.strictObject({ code: z.string(), message: z.string(), hint: z.string().optional() }),
    }),
  ])
  .meta({ id: "TestResult" });
export type TestResult = z.infer<typeof testResultSchema>;
