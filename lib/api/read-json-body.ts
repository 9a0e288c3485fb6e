import { AppError } from "@/lib/errors";

/** Request bodies above this are refused before parsing (CONTRACT: 413 past 64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Deeper JSON than any of our bodies needs is refused, so hostile nesting costs nothing later. */
const MAX_DEPTH = 32;

/**
 * Reads a JSON body with a hard size limit (see readBodyText) and returns the parsed value.
 * An empty body is `{}`, whatever its type. A body sent with another media type (text/plain, a
 * form) is refused with 415: those are the types a cross-site form can send without a preflight, and a
 * client that sends them has made a mistake it should hear about. A body without Content-Type is
 * read as JSON, so that minimal clients keep working.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  if (text.trim() === "") return {};
  checkJsonMediaType(request.headers.get("content-type"));

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
  if (depthOf(parsed) > MAX_DEPTH) {
    throw new AppError("invalid_json", `The request body is nested more than ${MAX_DEPTH} levels deep.`);
  }
  return parsed;
}

/**
 * The body as text, with a hard size limit counted while streaming, so a lying or absent
 * Content-Length cannot get past it.
 */
export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw payloadTooLarge();
  if (!request.body) return "";

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      throw new AppError("invalid_json", "The request body could not be read completely.");
    });
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

/** application/json, or any application/<name>+json, with or without parameters such as charset. */
export function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return mediaType === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(mediaType);
}

function checkJsonMediaType(contentType: string | null): void {
  if (contentType === null || isJsonMediaType(contentType)) return;
  const shown = contentType
    .split(";", 1)[0]!
    .trim()
    .slice(0, 100)
    .replace(/[^\x20-\x7e]/g, "?");
  throw new AppError(
    "unsupported_media_type",
    `The request body must be JSON, sent with Content-Type: application/json (this request said ${JSON.stringify(shown)}).`,
  );
}

export function payloadTooLarge(): AppError {
  return new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);
}

function depthOf(value: unknown): number {
  // Iterative so that a hostile body cannot overflow the stack here.
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    max = Math.max(max, depth);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return max;
}
