import { BlockList } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters } from "@/tests/support/fuzz-seed";
import { resolveAllowed } from "./upstream/guarded-lookup";
import { checkGrpcEndpoint, checkProviderUrl, isMetadataHost } from "./url-rules";

/**
 * CONTRACT "Metadata endpoints are never reached": 169.254.0.0/16, 100.100.100.200,
 * 168.63.129.16, 192.0.0.192 and 0.0.0.0/8, in any spelling, and their IPv4-mapped, NAT64 and
 * 6to4 forms. The reference is node:net's BlockList over the plain dotted address; the inputs are
 * the same addresses spelled every way the URL parser, inet_aton and IPv6 translation allow.
 */
const reference = new BlockList();
reference.addSubnet("169.254.0.0", 16, "ipv4");
reference.addAddress("100.100.100.200", "ipv4");
reference.addAddress("168.63.129.16", "ipv4");
reference.addAddress("192.0.0.192", "ipv4");
reference.addSubnet("0.0.0.0", 8, "ipv4");

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
const hex16 = (n: number) => n.toString(16);

const blockedAddress = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((low) => 0xa9fe0000 + low),
  fc.constantFrom(0x646464c8, 0xa83f8110, 0xc00000c0, 0xa9fea9fe),
  fc.integer({ min: 0, max: 0xffffff }),
);
const anyAddress = fc.integer({ min: 0, max: 0xffffffff });

type Spelling = { host: string; v6: boolean };

/** One IPv4 number in one of the radixes inet_aton and the URL parser read. */
const number = (n: number) => fc.constantFrom(String(n), `0x${n.toString(16)}`, `0X${n.toString(16).toUpperCase()}`, `0${n.toString(8)}`);

function spellings(address: number): fc.Arbitrary<Spelling> {
  const [a, b, c, d] = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
  const hi = address >>> 16;
  const lo = address & 0xffff;
  const v4 = fc.oneof(
    fc.tuple(number(a), number(b), number(c), number(d)).map((p) => p.join(".")),
    fc.tuple(number(a), number(b), number((c << 8) | d)).map((p) => p.join(".")),
    fc.tuple(number(a), number(address & 0xffffff)).map((p) => p.join(".")),
    number(address),
  );
  const v6 = fc.constantFrom(
    `::ffff:${dotted(address)}`,
    `::ffff:${hex16(hi)}:${hex16(lo)}`,
    `0:0:0:0:0:FFFF:${hex16(hi)}:${hex16(lo)}`,
    `::ffff:0:${dotted(address)}`,
    `64:ff9b::${dotted(address)}`,
    `64:ff9b::${hex16(hi)}:${hex16(lo)}`,
    `64:ff9b:1::${hex16(hi)}:${hex16(lo)}`,
    `2002:${hex16(hi)}:${hex16(lo)}::1`,
    `2002:${hex16(hi)}:${hex16(lo)}:abcd:0:0:0:1`,
  );
  return fc.oneof(
    v4.map((host) => ({ host, v6: false })),
    v6.map((host) => ({ host, v6: true })),
    fc.constant({ host: `${a}.${b}.${c}.${d}.`, v6: false }),
  );
}

const spelled = (addresses: fc.Arbitrary<number>) => addresses.chain((address) => spellings(address).map((s) => ({ address, ...s })));
const blocked = (address: number) => reference.check(dotted(address), "ipv4");
const lenient = { allowInsecure: true };

describe("metadata addresses in every spelling (property)", () => {
  it("isMetadataHost agrees with the block list for every spelling of every address", () => {
    fc.assert(
      fc.property(spelled(fc.oneof(blockedAddress, anyAddress)), ({ address, host }) => {
        expect(isMetadataHost(host), host).toBe(blocked(address));
      }),
      fuzzParameters(5000),
    );
  });

  it("a URL field refuses exactly the blocked addresses, as the URL parser normalises them", () => {
    fc.assert(
      fc.property(spelled(fc.oneof(blockedAddress, anyAddress)), fc.constantFrom("http", "https"), ({ address, host, v6 }, scheme) => {
        const url = `${scheme}://${v6 ? `[${host}]` : host}:8200/`;
        const problem = checkProviderUrl(url, lenient);
        if (blocked(address)) expect(problem, url).toMatch(/metadata/);
        else expect(problem, url).toBeNull();
      }),
      fuzzParameters(3000),
    );
  });

  it("a gRPC endpoint (host[:port]) refuses exactly the blocked addresses", () => {
    fc.assert(
      fc.property(spelled(fc.oneof(blockedAddress, anyAddress)), fc.constantFrom("", ":443", ":8443"), ({ address, host, v6 }, port) => {
        const endpoint = `${v6 ? `[${host}]` : host}${v6 && !port ? "" : port}`;
        const problem = checkGrpcEndpoint(endpoint, lenient);
        if (blocked(address)) expect(problem, endpoint).toMatch(/metadata/);
        else expect(problem, endpoint).toBeNull();
      }),
      fuzzParameters(3000),
    );
  });

  it("the connect-time guard refuses a name resolving to any blocked address, in v4 or v6 form", async () => {
    await fc.assert(
      fc.asyncProperty(
        spelled(fc.oneof(blockedAddress, anyAddress)).filter((s) => s.v6),
        async ({ address, host }) => {
          const answer = [
            { address: "203.0.113.7", family: 4 },
            { address: host, family: 6 },
          ];
          const outcome = await resolveAllowed("vault.example.com", async () => answer).then(
            () => "allowed",
            (error: Error) => error.name,
          );
          expect(outcome, host).toBe(blocked(address) ? "MetadataAddressError" : "allowed");
        },
      ),
      fuzzParameters(1000),
    );
    for (const address of ["169.254.169.254", "100.100.100.200", "168.63.129.16", "192.0.0.192", "0.0.0.0", "fd00:ec2::254"]) {
      await expect(resolveAllowed("vault.example.com", async () => [{ address, family: address.includes(":") ? 6 : 4 }])).rejects.toThrow(
        /metadata/,
      );
    }
  });
});

describe("metadata host names", () => {
  it.each([
    "metadata.google.internal",
    "METADATA.Google.Internal",
    "metadata.google.internal.",
    "metadata.google.internal..",
    "Metadata",
    "metadata.goog",
  ])("refuses %s as a URL host and a gRPC host", (host) => {
    expect(checkProviderUrl(`https://${host}/`, lenient)).toMatch(/metadata/);
    expect(checkGrpcEndpoint(`${host}:443`, lenient)).toMatch(/metadata/);
  });

  it.each([
    "http://2852039166/",
    "http://0xa9.0xfe.0xa9.0xfe/",
    "http://0251.0376.0251.0376/",
    "http://100.100.100.200/",
    "http://168.63.129.16/",
    "http://192.0.0.192/",
    "http://0.0.0.0:8200/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:a9fe:a9fe::]/",
    "http://[::ffff:100.100.100.200]/",
  ])("refuses %s", (url) => expect(checkProviderUrl(url, lenient)).toMatch(/metadata/));

  it.each(["0xa9.0xfe.0xa9.0xfe:443", "2852039166", "[64:ff9b::a9fe:a9fe]:443", "168.63.129.16:443"])(
    "refuses the gRPC endpoint %s",
    (endpoint) => expect(checkGrpcEndpoint(endpoint, lenient)).toMatch(/metadata/),
  );

  it.each([
    "vault.example.com",
    "127.0.0.1",
    "10.0.0.1",
    "100.100.100.201",
    "[2001:db8::1]",
    "[64:ff9b::a00:1]",
    "[2002:a00:1::1]",
    "169.253.255.255",
    "1.0.0.0",
  ])("allows %s", (host) => expect(checkProviderUrl(`http://${host}/`, lenient)).toBeNull());
});
