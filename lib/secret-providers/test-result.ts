import { z } from "zod";
import { FAILURE_STAGES } from "@/lib/providers/upstream/failure-stage";

/**
 * The answer of a connection test. An upstream failure is a normal answer (ok: false), with the
 * manager's error as the API words it.
 */
const latencyMs = z.int().min(0);

/** Where the upstream call failed: the same words for every provider (lib/providers/upstream/failure-stage.ts). */
export const failureStageSchema = z
  .enum(FAILURE_STAGES)
  .describe(
    "Where the upstream call failed: dns, tcp, tls, auth (credentials refused), permission (signed in, not allowed), not_found, timeout or other",
  );

/** A failed test: the adapter's message, and where it failed (lib/providers/failure-report.ts) with what to change. */
const testFailureSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  stage: failureStageSchema.optional(),
  endpoint: z.string().describe("host[:port] the failing call went to (the manager, or its sign-in service)").optional(),
  hint: z.string().describe("What to change to fix it").optional(),
});
export type TestFailure = z.infer<typeof testFailureSchema>;

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
      error: testFailureSchema,
    }),
  ])
  .meta({ id: "TestResult" });
export type TestResult = z.infer<typeof testResultSchema>;
