import { z } from "zod";

/** GET /api: where to start. */
export const apiIndexSchema = z.strictObject({ name: z.string(), openapi: z.string(), health: z.string() }).meta({ id: "ApiIndex" });
export type ApiIndex = z.infer<typeof apiIndexSchema>;
export const API_INDEX: ApiIndex = { name: "Provenance API", openapi: "/api/openapi.json", health: "/api/health" };

/** GET /api/health/live: the process serves requests. */
export const liveSchema = z.strictObject({ status: z.literal("ok") }).meta({ id: "Live" });
export const LIVE: z.infer<typeof liveSchema> = { status: "ok" };
