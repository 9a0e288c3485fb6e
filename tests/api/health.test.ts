import { describe, expect, it } from "vitest";
import { call } from "./support/client";

describe("GET /api/health and /api/openapi.json", () => {
  it("reports ok without credentials", async () => {
    const response = await call<{ status: string }>("/api/health", { token: null });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe("ok");
  });

  it("publishes an OpenAPI 3.1 document covering the contract's endpoints", async () => {
    const response = await call<{ openapi: string; paths: Record<string, unknown> }>("/api/openapi.json", { token: null });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/secret-providers",
        "/api/secret-providers/{id}",
        "/api/secret-providers/types",
        "/api/secret-providers/{id}/test",
        "/api/secrets",
        "/api/secrets/{id}",
        "/api/secrets/resolve",
        "/api/health",
        "/api/trust-policies",
        "/api/trust-policies/{id}",
        "/api/auth/token-exchange",
      ]),
    );
  });
});
