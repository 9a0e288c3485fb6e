import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The Provenance-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under
 * PROVENANCE_WEBHOOK_SECRET. Signing the time with the body lets a receiver refuse a replayed
 * delivery (a `t` too far from its clock) as well as a forged one. Each attempt is signed anew.
 */
export const SIGNATURE_HEADER = "Provenance-Signature";

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${sign(secret, body, unixSeconds)}`;
}

function sign(secret: string, body: string, unixSeconds: number): string {
  return createHmac("sha256", secret).update(`${unixSeconds}.${body}`, "utf8").digest("hex");
}

/**
 * What a receiver does (and the tests do): true when some v1 signature matches and `t` is within
 * `toleranceSeconds` of `nowSeconds`. Constant-time comparison.
 */
export function verifySignature(options: {
  secret: string;
  body: string;
  header: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const parts = options.header.split(",").map((part) => part.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(options.nowSeconds - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(sign(options.secret, options.body, t), "hex");
  return parts
    .filter(([k, v]) => k === "v1" && v !== undefined && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v!, "hex"), expected));
}
