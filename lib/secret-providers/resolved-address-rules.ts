import { isIP } from "node:net";
import type { ProviderConfig } from "@/lib/providers/definition";
import { providerDefinition, type ProviderType } from "@/lib/providers/registry";
import { MetadataAddressError, resolveAllowed, systemResolver, type ResolveHost } from "@/lib/providers/upstream/guarded-lookup";
import { parseGrpcEndpoint } from "@/lib/providers/url-rules";

/** A save waits this long for DNS at most; a name that does not resolve now may later. */
const LOOKUP_TIMEOUT_MS = 2_000;

/**
 * The metadata-address rule after DNS, when a connection is saved: a URL field whose host name
 * resolves to a metadata address is refused with the same 400 as a literal one, so the mistake
 * (or the attempt) shows up in the form rather than on the first resolve. Names that do not
 * resolve right now are let through: every connection checks again at connect time
 * (guarded-lookup.ts), which is the check that counts.
 */
export async function resolvedAddressProblems(
  type: ProviderType,
  config: ProviderConfig,
  resolve: ResolveHost = systemResolver,
): Promise<Record<string, string>> {
  const problems: Record<string, string> = {};
  await Promise.all(
    providerDefinition(type).fields.map(async (field) => {
      const value = config[field.key];
      if (!value || (field.format.kind !== "url" && field.format.kind !== "grpc-endpoint")) return;
      const host = field.format.kind === "url" ? hostOfUrl(value) : parseGrpcEndpoint(value)?.host;
      if (!host || isIP(host)) return; // literal addresses: the URL rules have judged them already
      if (await resolvesToMetadata(host, resolve)) {
        problems[`config.${field.key}`] = `${host} resolves to a link-local metadata address; cloud metadata endpoints are not allowed`;
      }
    }),
  );
  return problems;
}

function hostOfUrl(value: string): string | undefined {
  try {
    return new URL(value).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return undefined;
  }
}

async function resolvesToMetadata(host: string, resolve: ResolveHost): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((done) => {
    timer = setTimeout(() => done("timeout"), LOOKUP_TIMEOUT_MS);
  });
  try {
    await Promise.race([resolveAllowed(host, resolve), timeout]);
    return false;
  } catch (error) {
    return error instanceof MetadataAddressError;
  } finally {
    clearTimeout(timer);
  }
}
