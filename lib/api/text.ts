import { z } from "zod";

/**
 * Text that people type into names, descriptions and paths. Control characters (a null byte
 * above all: PostgreSQL cannot store one) and broken UTF-16 (lone surrogates) are refused with a
 * clear message instead of reaching the database.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f]/;

export function isCleanText(value: string, allowNewlines: boolean): boolean {
  return value.isWellFormed() && !(allowNewlines ? CONTROL : CONTROL_OR_NEWLINE).test(value);
}

export function singleLine(label: string, max: number) {
  return z
    .string({ message: `${label} must be a string` })
    .max(max, `${label} must be at most ${max} characters`)
    .refine((v) => isCleanText(v, false), `${label} must not contain control characters or invalid Unicode`);
}

export function multiLine(label: string, max: number) {
  return z
    .string({ message: `${label} must be a string` })
    .max(max, `${label} must be at most ${max} characters`)
    .refine((v) => isCleanText(v, true), `${label} must not contain control characters or invalid Unicode`);
}

/** For audit rows and logs: whatever a caller sent, made storable and readable. */
export function sanitizeText(value: string, max = 500): string {
  return value
    .toWellFormed()
    .replace(/[\u0000-\u001f\u007f]/g, "\uFFFD")
    .slice(0, max);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
