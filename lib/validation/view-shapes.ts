import { z } from "zod";

/**
 * Pieces the response schemas (the view types next to each domain) share. Those schemas are the
 * one definition of each answer: the TypeScript view type is their z.infer, and the OpenAPI
 * components are their JSON Schema (lib/openapi/schemas.ts). Every object is strict, so the
 * document says no other members come.
 */
export const timestamp = z.iso.datetime();
export const nullableTimestamp = z.iso.datetime().nullable();

/** A row's optimistic-locking version, as answers carry it. */
export const rowVersion = z.int().min(1).describe("Also sent as the ETag; send it back in If-Match to update only this version");

/** A map of names to strings, described for the reader. */
export const stringMap = (description: string) => z.record(z.string(), z.string()).describe(description);
