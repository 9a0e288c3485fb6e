/**
 * Rules for addresses a provider connection may point at. Pure (no Node or env access) so the
 * dashboard form can run the same checks; the server passes its own `allowInsecure` setting.
 *
 * - Plain-text transports (http://, insecure gRPC) are refused unless the operator opted in,
 *   because credentials would cross the network in the clear.
 * - Cloud metadata endpoints are always refused: a connection pointed at one would turn
 *   Provenance into a proxy for the host's own cloud credentials (SSRF).
 */
export interface UrlRuleOptions {
  allowInsecure: boolean;
}

const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata", "metadata.goog"]);

/** True for cloud metadata addresses in any spelling the URL parser normalises to. */
export function isMetadataHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (METADATA_HOSTS.has(host)) return true;
  // The whole IPv4 link-local range: AWS (169.254.169.254), ECS (169.254.170.2), Azure IMDS and
  // others live here, and nothing a secrets manager should call does.
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  const v6 = expandIpv6(host);
  if (!v6) return false;
  if (v6 === "fd00:0ec2:0000:0000:0000:0000:0000:0254") return true;
  // IPv4-mapped and IPv4-compatible forms of the link-local range.
  const mapped = /^0000:0000:0000:0000:0000:(ffff|0000):([0-9a-f]{4}):([0-9a-f]{4})$/.exec(v6);
  if (mapped) {
    const hi = parseInt(mapped[2]!, 16);
    return hi >> 8 === 169 && (hi & 0xff) === 254;
  }
  return false;
}

function expandIpv6(host: string): string | null {
  if (!host.includes(":") || !/^[0-9a-f:.]+$/.test(host)) return null;
  let text = host;
  // Trailing dotted IPv4 (e.g. ::ffff:169.254.169.254) becomes two hex groups.
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    const hex = (n: number) => n.toString(16).padStart(2, "0");
    text = text.slice(0, dotted.index) + `${hex(a)}${hex(b)}:${hex(c)}${hex(d)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.padStart(4, "0")).join(":");
}

/** Validates an http(s) URL field; returns an error message or null. */
export function checkProviderUrl(value: string, opts: UrlRuleOptions, requireHttps = false): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Must be a URL such as https://example.com";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Must be an https:// URL";
  if (url.username || url.password) return "Must not contain a user name or password; use the credential fields";
  if (isMetadataHost(url.hostname)) return "Cloud metadata addresses are not allowed";
  if (url.protocol === "http:" && !opts.allowInsecure) {
    return requireHttps
      ? "Must be an https:// URL"
      : "Plain http:// is refused; use https:// (or start the server with PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS=true for local testing)";
  }
  return null;
}

/**
 * Validates a gRPC endpoint written `host[:port]`. `http://host:port` asks for a plain-text
 * (insecure) channel, which follows the same opt-in rule as http:// URLs.
 */
export function checkGrpcEndpoint(value: string, opts: UrlRuleOptions): string | null {
  const endpoint = parseGrpcEndpoint(value);
  if (!endpoint) return "Must be host or host:port, e.g. secretmanager.googleapis.com:443";
  if (isMetadataHost(endpoint.host)) return "Cloud metadata addresses are not allowed";
  if (endpoint.insecure && !opts.allowInsecure) {
    return "Insecure gRPC (http://) is refused; start the server with PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS=true for local testing";
  }
  return null;
}

export interface GrpcEndpoint {
  host: string;
  port: number | undefined;
  insecure: boolean;
}

export function parseGrpcEndpoint(value: string): GrpcEndpoint | null {
  const match = /^(?:(https?):\/\/)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(value.trim());
  if (!match) return null;
  const port = match[3] ? Number(match[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  return { host: match[2]!.replace(/^\[|\]$/g, ""), port, insecure: match[1] === "http" };
}
