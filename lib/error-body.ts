import { z } from "zod";
import { failureStageSchema } from "@/lib/secret-providers/test-result";

/**
 * Every error the API answers: `{error: {code, message, ...}}` (AppError.toBody, and the route
 * wrapper's internal_error). The extra members each code can carry are all declared here, so a
 * generated client knows them and the document says no others come.
 */
const count = z.int().min(0);

export const errorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z
        .string()
        .regex(/^[a-z]+(_[a-z]+)*$/)
        .describe("A stable snake_case code; see each operation's responses for the codes it uses."),
      message: z.string().describe("A sentence for a person; never a secret value or a credential."),
      fields: z
        .record(z.string(), z.string())
        .describe("validation_error (and some 409s): a message per invalid member, keyed by dotted path into the body, e.g. config.region")
        .optional(),
      hint: z.string().describe("provider_error: what to change to fix it, e.g. the IAM action the identity lacks").optional(),
      stage: failureStageSchema.optional(),
      upstreamService: z
        .string()
        .describe("provider_error from GCP's token services: sts or iamcredentials (not Secret Manager itself)")
        .optional(),
      upstreamStatus: count.describe("provider_error: the manager's HTTP status").optional(),
      upstreamCode: z.string().describe("provider_error: the manager's error code").optional(),
      attempts: count.describe("provider_error/provider_timeout after retries: how many calls were made").optional(),
      timeoutMs: count.describe("provider_timeout: the timeout that passed").optional(),
      jsonKey: z.string().describe("json_key_not_found: the key that was asked for").optional(),
      retryAfterSeconds: count.describe("rate_limited and database_unavailable: when to try again (also in Retry-After)").optional(),
      reason: z
        .string()
        .describe(
          "Token exchange 401: malformed, unsupported_algorithm, unknown_issuer, unknown_key, bad_signature, expired, not_yet_valid, missing_jti, wrong_audience, replayed or no_matching_policy",
        )
        .optional(),
      referencingSecrets: count.describe("provider_in_use: how many secrets still use the connection").optional(),
      secrets: z
        .array(z.strictObject({ id: z.string(), secretPath: z.string() }))
        .describe("provider_in_use: the first 20 of those secrets")
        .optional(),
      requestId: z.string().describe("internal_error: the id the server log has this failure under").optional(),
    }),
  })
  .meta({ id: "Error" });
export type ErrorBody = z.infer<typeof errorBodySchema>;
