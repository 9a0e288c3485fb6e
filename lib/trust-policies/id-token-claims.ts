import { IdTokenRefusal } from "./id-token-error";

/** How far clocks may disagree (ours and the issuer's) before a token counts as expired or early. */
export const CLOCK_SKEW_SECONDS = 60;

/** exp is required; nbf and iat, when present, must not lie in the future (beyond the skew). */
export function checkTokenTimes(payload: Record<string, unknown>, nowMs: number): { expiresAt: Date } {
  const now = nowMs / 1000;
  const { exp, nbf, iat } = payload;
  if (!isTime(exp)) throw new IdTokenRefusal("malformed");
  if (exp + CLOCK_SKEW_SECONDS <= now) throw new IdTokenRefusal("expired");
  for (const start of [nbf, iat]) {
    if (start === undefined) continue;
    if (!isTime(start)) throw new IdTokenRefusal("malformed");
    if (start - CLOCK_SKEW_SECONDS > now) throw new IdTokenRefusal("not_yet_valid");
  }
  return { expiresAt: new Date(exp * 1000) };
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value < 1e11;
}

/** `aud` as a list: a string or an array of strings (anything else: none). */
export function audiencesOf(payload: Record<string, unknown>): string[] {
  const { aud } = payload;
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((entry): entry is string => typeof entry === "string");
  return [];
}

/** A string claim, bounded; null when absent or not a string. */
export function stringClaim(payload: Record<string, unknown>, name: string, max = 500): string | null {
  const value = payload[name];
  return typeof value === "string" && value.length > 0 && value.length <= max ? value : null;
}
