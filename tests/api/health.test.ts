import http from "node:http";
import { describe, expect, it } from "vitest";
import { buildOpenApi } from "@/lib/openapi/build-openapi";
import { Browser } from "./support/browser";
import { call } from "./support/client";
import { apiContext } from "./support/context";

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

  it("publishes the document the code builds, also once dashboard pages and other routes have loaded the same modules", async () => {
    // The answers' components come from zod's registry, which the server's bundles share: each
    // loading a view module must not leave two schemas under one id.
    const admin = new Browser();
    expect((await admin.signIn(apiContext().admin.email, apiContext().admin.password)).status).toBe(200);
    for (const page of ["/secrets", "/settings/secret-providers", "/settings/tokens"]) expect((await admin.request(page)).status).toBe(200);
    for (const path of [
      "/api/secrets",
      "/api/secret-providers",
      "/api/secret-providers/types",
      "/api/tokens",
      "/api/trust-policies",
      "/api/health/ready",
      "/api",
    ]) {
      expect((await call(path)).status).toBe(200);
    }
    const response = await call<{ components: unknown }>("/api/openapi.json", { token: null });
    expect(response.status).toBe(200);
    expect(response.body.components).toEqual(JSON.parse(JSON.stringify(buildOpenApi().components)));
  });
});

describe("idle connections", () => {
  /** The Keep-Alive header of one answer on a keep-alive connection, read with node:http. */
  function keepAliveHint(path: string, headers: Record<string, string> = {}): Promise<string | undefined> {
    const agent = new http.Agent({ keepAlive: true });
    return new Promise((resolve, reject) => {
      http
        .get(new URL(path, apiContext().baseUrl), { agent, headers }, (response) => {
          response.resume();
          response.on("end", () => {
            agent.destroy();
            resolve(response.headersDistinct["keep-alive"]?.join(", "));
          });
        })
        .on("error", reject);
    });
  }

  // A server that closes an idle connection first races a load balancer's next request on it (a
  // reset, seen as a 502): it must outlast the balancers' 60 s idle timeout, through both doors.
  it("stay open longer than a load balancer's idle timeout, for pages, routes and the fast path", async () => {
    expect(await keepAliveHint("/api/health/live")).toBe("timeout=65");
    expect(await keepAliveHint("/login")).toBe("timeout=65");
    expect(await keepAliveHint("/api/secrets/resolve?path=a", { authorization: "Bearer not-a-token" })).toBe("timeout=65");
  });
});
