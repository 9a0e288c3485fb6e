import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { AppError } from "@/lib/errors";
import { isMetadataHost } from "../url-rules";
import { providerError } from "./errors";
import { connectionAgentOptions } from "./agent-options";

/**
 * The metadata-address rule applied after DNS, where it matters: a provider URL naming an
 * innocent-looking host that resolves to 169.254.169.254 (or fd00:ec2::254) would otherwise
 * turn Provenance into a proxy for the host's own cloud credentials. The URL rules catch
 * literal addresses when a connection is saved; this catches names, at connect time.
 *
 * `guardedLookup` is handed to the HTTP agent as its `lookup`, so the address checked is the
 * address connected to: a name that resolves harmlessly once and to a metadata address the next
 * time (DNS rebinding) is refused on the connection that would have used it.
 */
export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Every address a host name resolves to. Tests inject their own; production asks the system resolver. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Error code of a refused resolution; errors.ts words it for every provider. */
export const METADATA_ADDRESS_CODE = "EPROVENANCE_METADATA_ADDRESS";

export class MetadataAddressError extends Error {
  readonly code = METADATA_ADDRESS_CODE;
  constructor(readonly hostname: string) {
    super(`${hostname} resolves to a link-local metadata address`);
    this.name = "MetadataAddressError";
  }
}

/** Resolves `hostname` and returns its addresses, or throws MetadataAddressError if any of them is a metadata address. */
export async function resolveAllowed(hostname: string, resolve: ResolveHost = systemResolver): Promise<ResolvedAddress[]> {
  const addresses = await resolve(hostname);
  // Any one is enough to refuse: the connection may pick whichever address it likes.
  if (addresses.some((entry) => isMetadataHost(entry.address))) throw new MetadataAddressError(hostname);
  return addresses;
}

/** A `lookup` for net/http(s) agents that resolves through `resolveAllowed`. */
export function guardedLookup(resolve: ResolveHost = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, resolve).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((entry) => entry.family === options.family) : all;
        if (wanted.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} has no IPv${options.family} address`);
          error.code = "ENOTFOUND";
          return callback(error, "", 0);
        }
        if (options.all) return callback(null, wanted);
        callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

/**
 * A keep-alive agent whose connections pass the metadata rule: names through `guardedLookup`,
 * and literal addresses (which Node connects to without any lookup) checked before connecting,
 * so a connection saved before a rule existed cannot reach what the rule now forbids.
 */
export function guardedAgent(protocol: "http:" | "https:", resolve: ResolveHost = systemResolver): http.Agent {
  const options = connectionAgentOptions(guardedLookup(resolve));
  const agent = protocol === "http:" ? new http.Agent(options) : new https.Agent(options);
  const connect = agent.createConnection.bind(agent) as (options: object, callback: (error: Error | null) => void) => unknown;
  agent.createConnection = ((options: { host?: string | null }, callback: (error: Error | null) => void) => {
    const host = (options.host ?? "").replace(/^\[|\]$/g, "");
    if (isIP(host) && isMetadataHost(host)) {
      callback(new MetadataAddressError(host));
      return undefined;
    }
    return connect(options, callback);
  }) as typeof agent.createConnection;
  return agent;
}

/** The provider_error for a refused resolution found anywhere in an SDK error's cause chain, or null. */
export function metadataAddressRefusal(provider: string, error: unknown): AppError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    if ((current as { code?: unknown }).code === METADATA_ADDRESS_CODE) {
      // SDKs that re-wrap errors (Azure's RestError) keep our code and message but not our fields.
      const { hostname, message } = current as { hostname?: unknown; message?: unknown };
      const named =
        typeof hostname === "string" ? hostname : typeof message === "string" ? /^(\S+) resolves to /.exec(message)?.[1] : undefined;
      return providerError(
        provider,
        `${named ?? "the host"} resolves to a link-local metadata address; cloud metadata endpoints are never contacted`,
        { upstreamCode: METADATA_ADDRESS_CODE, hint: "Point the connection at the secrets manager's own address." },
      );
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
