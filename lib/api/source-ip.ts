import { env } from "@/lib/env";

/**
 * The client's address. Next's server appends the socket's peer address to X-Forwarded-For, so
 * the last entry is the one this server saw. Only behind a trusted proxy
 * (PROVENANCE_TRUST_PROXY=true) is the first, client-supplied entry believed.
 */
export function sourceIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  if (!forwarded) return headers.get("x-real-ip");
  const hops = forwarded.split(",").map((h) => h.trim()).filter(Boolean);
  const chosen = env().PROVENANCE_TRUST_PROXY ? hops[0] : hops[hops.length - 1];
  return chosen ? chosen.slice(0, 64) : null;
}
