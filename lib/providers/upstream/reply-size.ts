import { providerError } from "./errors";

/**
 * A cap on what one upstream reply may weigh. Secrets are small (AWS 64 KiB, Azure 25 KiB, GCP
 * 64 KiB), so a bigger reply is a misbehaving or hostile endpoint; it is cut off as it streams in
 * rather than buffered whole.
 */
export const MAX_REPLY_BYTES = 1024 * 1024;

/**
 * Error replies (any status but 2xx) are a code and a sentence; one larger than this is not read
 * further and its body is dropped: only its status is used. So a hostile server's megabyte of
 * error text is never parsed, let alone redacted.
 */
export const MAX_ERROR_REPLY_BYTES = 64 * 1024;

/** The cap for a reply with this status. */
export function replyCap(status: number | undefined): number {
  return status !== undefined && status >= 200 && status < 300 ? MAX_REPLY_BYTES : MAX_ERROR_REPLY_BYTES;
}

/** The whole body, or null as soon as it passes `maxBytes` (the stream is then destroyed). */
export async function readCapped(
  body: AsyncIterable<Uint8Array | string> & { destroy?: () => void },
  declaredLength: number | undefined,
  maxBytes = MAX_REPLY_BYTES,
): Promise<Buffer | null> {
  if (declaredLength !== undefined && declaredLength > maxBytes) {
    body.destroy?.();
    return null;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const bytes = Buffer.from(chunk);
    total += bytes.byteLength;
    if (total > maxBytes) {
      body.destroy?.();
      return null;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

export function replyTooLarge(provider: string, what: string, extra: { upstreamStatus?: number } = {}) {
  return providerError(provider, `the reply ${what} is larger than ${MAX_REPLY_BYTES} bytes`, { ...extra, upstreamCode: "ReplyTooLarge" });
}

/** Content-Length as a number, when present and sensible. */
export function declaredLength(value: string | string[] | undefined | null): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}
