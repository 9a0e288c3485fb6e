import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { nextAuthRequestHeaders, requestOrigin } from "./request-origin";

const saved = { ...process.env };

function withEnv(vars: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvForTests();
}

afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("the origin sign-in and sign-out redirects are built on", () => {
  it("is the address the browser used when NEXTAUTH_URL is unset or empty", () => {
    withEnv({ NEXTAUTH_URL: "", PORT: "4123", PROVENANCE_TRUST_PROXY: undefined });
    expect(requestOrigin(new Headers({ host: "127.0.0.1:4123" }))).toBe("http://127.0.0.1:4123");
    expect(requestOrigin(new Headers({ host: "Dash.Example.test:8080" }))).toBe("http://dash.example.test:8080");
    expect(requestOrigin(new Headers({ host: "[::1]:4123" }))).toBe("http://[::1]:4123");
  });

  it("ignores X-Forwarded-* from a client that reached the server directly", () => {
    withEnv({ NEXTAUTH_URL: undefined, PROVENANCE_TRUST_PROXY: "false" });
    const headers = new Headers({ host: "127.0.0.1:4123", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    expect(requestOrigin(headers)).toBe("http://127.0.0.1:4123");
  });

  it("believes X-Forwarded-Host and X-Forwarded-Proto behind our own proxies", () => {
    withEnv({ NEXTAUTH_URL: undefined, PROVENANCE_TRUST_PROXY: "true" });
    const headers = new Headers({ host: "10.0.0.5:3000", "x-forwarded-host": "secrets.example.test", "x-forwarded-proto": "https" });
    expect(requestOrigin(headers)).toBe("https://secrets.example.test");
  });

  it("falls back to http://localhost:$PORT for a missing or malformed host", () => {
    withEnv({ NEXTAUTH_URL: undefined, PORT: "4123", PROVENANCE_TRUST_PROXY: undefined });
    expect(requestOrigin(new Headers())).toBe("http://localhost:4123");
    expect(requestOrigin(new Headers({ host: "evil.example/@x" }))).toBe("http://localhost:4123");
    expect(requestOrigin(new Headers({ host: "a b" }))).toBe("http://localhost:4123");
  });

  it("is NEXTAUTH_URL's origin when set, whatever the request says", () => {
    withEnv({ NEXTAUTH_URL: "https://vault.example.test/base", PROVENANCE_TRUST_PROXY: "true" });
    expect(requestOrigin(new Headers({ host: "127.0.0.1:4123", "x-forwarded-host": "other.example" }))).toBe("https://vault.example.test");
  });

  it("replaces what the client sent as X-Forwarded-Host/Proto in the headers next-auth sees", () => {
    withEnv({ NEXTAUTH_URL: undefined, PROVENANCE_TRUST_PROXY: undefined });
    const seen = nextAuthRequestHeaders(
      new Headers({ host: "127.0.0.1:4123", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }),
    );
    expect(seen.get("x-forwarded-host")).toBe("127.0.0.1:4123");
    expect(seen.get("x-forwarded-proto")).toBe("http");
    expect(seen.get("host")).toBe("127.0.0.1:4123");
  });
});
