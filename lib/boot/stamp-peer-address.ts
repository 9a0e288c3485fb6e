import type { IncomingMessage } from "node:http";
import { installPeerAddressHeader } from "@/lib/api/peer-address";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * Before the first request is handled: every request carries the socket's peer address
 * (lib/api/peer-address.ts). The first request that arrives with X-Forwarded-For or X-Real-IP
 * while no proxy is trusted gets one warning in the log: those headers are ignored, which behind a
 * reverse proxy makes every client look like the proxy (one address for every sign-in limit).
 */
export function stampPeerAddress(): void {
  let warned = false;
  installPeerAddressHeader((request: IncomingMessage) => {
    if (warned || !carriesForwardedAddress(request) || env().PROVENANCE_TRUST_PROXY) return;
    warned = true;
    log.warn(
      "a request carried X-Forwarded-For or X-Real-IP, which are ignored because no proxy is trusted: client addresses are the connection's. " +
        "Behind your own reverse proxy, set PROVENANCE_TRUST_PROXY=true (and PROVENANCE_TRUSTED_PROXY_COUNT to the number of proxies in front of the server).",
      { peerAddress: request.socket?.remoteAddress ?? null },
    );
  });
}

function carriesForwardedAddress(request: IncomingMessage): boolean {
  return request.headers["x-forwarded-for"] !== undefined || request.headers["x-real-ip"] !== undefined;
}
