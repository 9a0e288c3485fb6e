import type { LookupFunction } from "node:net";
import { env } from "@/lib/env";

/**
 * Options for the keep-alive agent of one provider connection. The socket cap bounds what one
 * connection can hold open against its manager (and what a hanging manager can pin here): calls
 * past it queue on the agent, inside their own deadline.
 */
export function connectionAgentOptions(lookup: LookupFunction) {
  return { keepAlive: true, maxSockets: env().PROVENANCE_PROVIDER_MAX_SOCKETS, lookup };
}
