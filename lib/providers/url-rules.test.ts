import { describe, expect, it } from "vitest";
import { checkGrpcEndpoint, checkProviderUrl, isMetadataHost, parseGrpcEndpoint } from "./url-rules";

const strict = { allowInsecure: false };
const lenient = { allowInsecure: true };

describe("isMetadataHost", () => {
  it.each([
    "169.254.169.254",
    "169.254.170.2",
    "metadata.google.internal",
    "METADATA.GOOGLE.INTERNAL.",
    "[fd00:ec2::254]",
    "fd00:ec2:0:0:0:0:0:254",
    "::ffff:169.254.169.254",
    "[::ffff:a9fe:a9fe]",
  ])("refuses %s", (host) => expect(isMetadataHost(host)).toBe(true));

  it.each(["vault.example.com", "127.0.0.1", "10.0.0.1", "fd00:ec2::253", "::1", "169.255.1.1"])("allows %s", (host) =>
    expect(isMetadataHost(host)).toBe(false),
  );
});

describe("checkProviderUrl", () => {
  it("accepts https", () => expect(checkProviderUrl("https://vault.example.com:8200", strict)).toBeNull());
  it("refuses http unless insecure URLs are allowed", () => {
    expect(checkProviderUrl("http://vault.local:8200", strict)).toMatch(/PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS/);
    expect(checkProviderUrl("http://vault.local:8200", lenient)).toBeNull();
  });
  it("refuses metadata addresses even when insecure URLs are allowed, in any spelling the URL parser accepts", () => {
    for (const url of [
      "http://169.254.169.254/latest",
      "http://2852039166/",
      "http://0xa9fea9fe/",
      "https://[fd00:ec2::254]/",
      "http://metadata.google.internal/",
    ]) {
      expect(checkProviderUrl(url, lenient), url).toMatch(/metadata/);
    }
  });
  it("refuses other schemes, credentials in the URL and garbage", () => {
    expect(checkProviderUrl("ftp://x.example.com", lenient)).toMatch(/https/);
    expect(checkProviderUrl("https://user:pass@x.example.com", lenient)).toMatch(/user name or password/);
    expect(checkProviderUrl("not a url", lenient)).toMatch(/URL/);
  });
});

describe("gRPC endpoints", () => {
  it("parses host, port and the insecure prefix", () => {
    expect(parseGrpcEndpoint("secretmanager.googleapis.com:443")).toEqual({
      host: "secretmanager.googleapis.com",
      port: 443,
      insecure: false,
    });
    expect(parseGrpcEndpoint("http://127.0.0.1:9000")).toEqual({ host: "127.0.0.1", port: 9000, insecure: true });
    expect(parseGrpcEndpoint("[::1]:9000")).toEqual({ host: "::1", port: 9000, insecure: false });
    expect(parseGrpcEndpoint("host:99999")).toBeNull();
    expect(parseGrpcEndpoint("https://host/path")).toBeNull();
  });
  it("refuses insecure gRPC unless allowed, and metadata hosts always", () => {
    expect(checkGrpcEndpoint("http://127.0.0.1:9000", strict)).toMatch(/Insecure gRPC/);
    expect(checkGrpcEndpoint("http://127.0.0.1:9000", lenient)).toBeNull();
    expect(checkGrpcEndpoint("metadata.google.internal:443", lenient)).toMatch(/metadata/);
  });
});
