import { env } from "@/lib/env";
import { peerAddress, unmapIpv4 } from "./peer-address";

/**
 * The client's address, as sign-in limits, audit rows and sessions record it.
 *
 * By default it is the socket's peer address: X-Forwarded-For and X-Real-IP are whatever the
 * client wrote (Next passes a client's X-Forwarded-For through untouched, and fills it in with the
 * peer address only when there is none), so believing them would let anyone pick an address,
 * dodge per-address limits or lock someone else's address out.
 *
 * Behind your own proxies (PROVENANCE_TRUST_PROXY=true, PROVENANCE_TRUSTED_PROXY_COUNT of them,
 * default 1) each proxy appends the address it saw, so with N proxies the N-th entry from the
 * right is the address the outermost proxy saw: the client. Entries left of it were written by the
 * client and mean nothing. With fewer entries than proxies the request skipped some of them (it
 * reached an inner proxy directly), and the left-most entry, written by the first proxy it met, is
 * the client. X-Real-IP is never read: every common proxy appends to X-Forwarded-For, and one
 * header with one rule leaves no room for a client-written one to slip through.
 */
export function sourceIp(headers: Headers): string | null {
  const settings = env();
  const peer = peerAddress(headers);
  if (!settings.PROVENANCE_TRUST_PROXY) return peer;
  return forwardedClient(headers, settings.PROVENANCE_TRUSTED_PROXY_COUNT) ?? peer;
}

function forwardedClient(headers: Headers, proxies: number): string | null {
  // Repeated X-Forwarded-For lines arrive joined with ", " in the order they were sent.
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const chosen = hops[Math.max(0, hops.length - proxies)];
  return chosen ? unmapIpv4(chosen).slice(0, 64) : null;
}
