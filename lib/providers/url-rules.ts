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

/**
 * IPv4 ranges no provider connection reaches, as [first address, prefix length]:
 * - 169.254.0.0/16, link-local: AWS (169.254.169.254), ECS (169.254.170.2), GCP and Azure IMDS;
 * - 100.100.100.200: Alibaba Cloud's metadata service;
 * - 168.63.129.16: Azure's wire server (host agent, DNS, health probes);
 * - 192.0.0.192: Oracle Cloud's metadata service;
 * - 0.0.0.0/8, "this network": connecting to it reaches the host itself.
 */
const BLOCKED_IPV4: readonly (readonly [number, number])[] = [
  [ipv4(169, 254, 0, 0), 16],
  [ipv4(100, 100, 100, 200), 32],
  [ipv4(168, 63, 129, 16), 32],
  [ipv4(192, 0, 0, 192), 32],
  [ipv4(0, 0, 0, 0), 8],
];

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

function isBlockedIpv4(address: number): boolean {
  return BLOCKED_IPV4.some(([first, bits]) => Math.floor(address / 2 ** (32 - bits)) === Math.floor(first / 2 ** (32 - bits)));
}

/**
 * True for cloud metadata addresses in any spelling: host names in any case with trailing dots,
 * IPv4 written as the WHATWG URL parser and inet_aton read it (2852039166, 0xa9.0xfe.0xa9.0xfe,
 * 0251.0376.0251.0376, 169.254.43518), AWS's IPv6 fd00:ec2::254, and IPv6 forms that carry a
 * blocked IPv4 address: IPv4-mapped and -compatible (::ffff:a9fe:a9fe), IPv4-translated,
 * NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) and 6to4 (2002::/16).
 */
export function isMetadataHost(hostname: string): boolean {
  const host = hostname
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "") // an IPv6 zone id (fe80::1%eth0) does not change the address
    .replace(/\.+$/, "");
  if (METADATA_HOSTS.has(host)) return true;
  const v4 = parseIpv4(host);
  if (v4 !== null) return isBlockedIpv4(v4);
  const v6 = parseIpv6(host);
  if (!v6) return false;
  if (v6.map((g) => g.toString(16)).join(":") === "fd00:ec2:0:0:0:0:0:254") return true;
  const embedded = embeddedIpv4(v6);
  return embedded !== null && isBlockedIpv4(embedded);
}

/** The IPv4 address an IPv6 address carries by a standard translation, or null. */
function embeddedIpv4(g: readonly number[]): number | null {
  const last32 = g[6]! * 0x10000 + g[7]!;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && g[5] === 0xffff) return last32; // ::ffff:a.b.c.d
  // IPv4-compatible ::a.b.c.d, except :: and ::1 (unspecified and loopback, not IPv4 addresses)
  if (zero(0, 6) && last32 > 0xffffff) return last32;
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return last32; // ::ffff:0:a.b.c.d (SIIT)
  if (g[0] === 0x64 && g[1] === 0xff9b && (g[2] === 0 || g[2] === 1) && zero(3, 6)) return last32; // NAT64
  if (g[0] === 0x2002) return g[1]! * 0x10000 + g[2]!; // 6to4: the IPv4 address is bits 16-48
  return null;
}

/**
 * IPv4 as the WHATWG URL parser (and inet_aton) reads it: 1 to 4 dot-separated numbers, each
 * decimal, octal (leading 0) or hex (0x), the last one filling the remaining bytes. Null when
 * the host is not such an address.
 */
function parseIpv4(host: string): number | null {
  const parts = host.split(".");
  if (parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIpv4Number(part);
    if (n === null) return null;
    numbers.push(n);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return null;
  return numbers.reduce((sum, n, i) => sum + n * 256 ** (3 - i), last);
}

function parseIpv4Number(part: string): number | null {
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(digits)) {
    digits = digits.slice(2);
    radix = 16;
  } else if (digits.length > 1 && digits.startsWith("0")) {
    digits = digits.slice(1);
    radix = 8;
  }
  if (digits === "") return part === "" ? null : 0;
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits) || digits.length > 40) return null;
  return parseInt(digits, radix);
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part allowed), or null. */
export function parseIpv6(host: string): number[] | null {
  if (!host.includes(":") || !/^[0-9a-f:.]+$/.test(host)) return null;
  let text = host;
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((n) => n > 255)) return null;
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
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
