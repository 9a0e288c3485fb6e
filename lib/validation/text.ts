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

/**
 * Terminal and display control: whole escape sequences (CSI `ESC [ … final` or 0x9b, OSC
 * `ESC ] … BEL|ST` or 0x9d, and any other `ESC x`), the remaining C1 controls (0x80–0x9f), and
 * the bidirectional overrides and isolates that can make text read differently from what it is.
 * Each alternative scans forward once and its classes do not overlap, so the cost is linear in
 * the text's length whatever it holds (an OSC with no terminator stops at the next ESC or BEL).
 */
const ESCAPE_SEQUENCE =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\s\S]?/g;
const C1_AND_BIDI = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const C0_AND_DEL = /[\u0000-\u001f\u007f]/g;
const C0_BUT_NEWLINES = /[\u0000-\u0009\u000b-\u001f\u007f]/g;

/**
 * Outside text (an upstream's message, a name from a file) made safe to put on one line of a
 * message, a log or a terminal: escape sequences and C1/bidi controls removed, every other control
 * (newlines included unless `keepNewlines`) turned into a space, broken UTF-16 repaired.
 */
export function stripControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text
    .toWellFormed()
    .replace(ESCAPE_SEQUENCE, "")
    .replace(C1_AND_BIDI, "")
    .replace(options.keepNewlines ? C0_BUT_NEWLINES : C0_AND_DEL, " ");
}

/** How much outside text is looked at, at most, before anything else is done with it. */
export const OUTSIDE_TEXT_MAX_CHARS = 1024;

/**
 * Outside text cut to `max` characters FIRST (so that no later step, redaction included, ever
 * works on more than that), then stripped of controls (a surrogate pair split by the cut becomes U+FFFD).
 */
export function boundOutsideText(text: string, max = OUTSIDE_TEXT_MAX_CHARS): string {
  return stripControls(text.length > max ? text.slice(0, max) : text);
}
