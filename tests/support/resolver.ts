import type { ResolvedAddress, ResolveHost } from "@/lib/providers/upstream/guarded-lookup";

/** A DNS that answers every name with these addresses, and notes the questions. */
export function resolverAnswering(...addresses: string[]): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    asked.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}
