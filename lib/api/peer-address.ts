import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

/**
 * The address at the other end of the TCP connection, the one thing about a client's origin that
 * the client cannot choose. Next hands route handlers, server actions and the proxy a request
 * without its socket, so the server process stamps every incoming request with a private header
 * before Next sees it (installPeerAddressHeader, run from instrumentation.ts).
 *
 * The stamp carries a proof, random per process: a client may send a header of the same name, and
 * a request that reached the server before the stamp was installed (the first moments after
 * start-up) would keep it; without the proof such a header is never believed.
 */
const PEER_HEADER = "x-provenance-peer";
const STATE = Symbol.for("provenance.peerAddress");

/** Answers a request itself (returning true) before Next sees it; see claimRequests. */
export type RequestClaim = (request: http.IncomingMessage, response: http.ServerResponse) => boolean;

interface PeerState {
  proof: string;
  claim?: RequestClaim;
}

const holder = globalThis as typeof globalThis & { [STATE]?: PeerState };

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
type Emitter = { emit: Emit };

/**
 * Stamps every request this process serves over HTTP(S) with its socket's peer address, replacing
 * whatever a client sent under that name. `onRequest` sees each request first (for start-up
 * warnings about its headers). Installing twice does nothing.
 */
export function installPeerAddressHeader(onRequest?: (request: http.IncomingMessage) => void): void {
  if (holder[STATE]) return;
  const state: PeerState = { proof: randomBytes(18).toString("base64url") };
  holder[STATE] = state;
  // Patched on the prototypes, so servers Next has already created are covered too.
  for (const prototype of new Set([http.Server.prototype as unknown as Emitter, https.Server.prototype as unknown as Emitter])) {
    const emit = prototype.emit;
    prototype.emit = function (this: unknown, event: string | symbol, ...args: unknown[]): boolean {
      if (event === "request") {
        const request = args[0] as http.IncomingMessage;
        request.headers[PEER_HEADER] = `${state.proof} ${request.socket?.remoteAddress ?? ""}`;
        onRequest?.(request);
        if (state.claim?.(request, args[1] as http.ServerResponse)) return true;
      }
      return emit.call(this, event, ...args);
    };
  }
}

/**
 * From now on, every stamped request is offered to `claim` first; a request it answers never
 * reaches Next. Needs installPeerAddressHeader first (the claim sees stamped requests only).
 */
export function claimRequests(claim: RequestClaim): void {
  const state = holder[STATE];
  if (!state) throw new Error("installPeerAddressHeader must run before claimRequests");
  state.claim = claim;
}

/** The socket peer address stamped on this request, or null when there is no genuine stamp. */
export function peerAddress(headers: Headers): string | null {
  const proof = holder[STATE]?.proof;
  const stamp = headers.get(PEER_HEADER);
  if (!proof || !stamp?.startsWith(`${proof} `)) return null;
  return unmapIpv4(stamp.slice(proof.length + 1).trim()) || null;
}

/** A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; audit and limits use a.b.c.d. */
export function unmapIpv4(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}
