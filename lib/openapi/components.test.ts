import { describe, expect, it } from "vitest";
import { API_INDEX, apiIndexSchema, LIVE, liveSchema } from "@/lib/health/discovery";
import { listProviderTypes, providerTypeViewSchema } from "@/lib/providers/provider-types";
import { secretViewSchema, toSecretView } from "@/lib/secrets/secret-view";
import { buildOpenApi } from "./build-openapi";

/** Every object schema reachable in a value, with where it sits. */
function objectSchemas(value: unknown, at: string, out: Array<[string, Record<string, unknown>]> = []) {
  if (Array.isArray(value)) value.forEach((member, i) => objectSchemas(member, `${at}[${i}]`, out));
  else if (typeof value === "object" && value !== null) {
    const schema = value as Record<string, unknown>;
    if (schema.properties && typeof schema.properties === "object") out.push([at, schema]);
    for (const [key, member] of Object.entries(schema)) objectSchemas(member, `${at}.${key}`, out);
  }
  return out;
}

describe("the document's components come from the zod schemas", () => {
  const components = buildOpenApi().components.schemas as Record<string, unknown>;

  it("every object declares whether other members may come", () => {
    const open = objectSchemas(components, "components").filter(([, schema]) => schema.additionalProperties === undefined);
    expect(open.map(([at]) => at)).toEqual([]);
  });

  it("the answers are there by name, nested ids as references", () => {
    for (const name of [
      "Error",
      "Secret",
      "ProviderConfig",
      "Connection",
      "TestResult",
      "Token",
      "TokenCreated",
      "TrustPolicy",
      "ConnectionUsage",
      "SecretVersion",
    ]) {
      expect(components, name).toHaveProperty(name);
    }
    expect((components.Secret as { properties: Record<string, unknown> }).properties.providerConfig).toEqual({
      $ref: "#/components/schemas/ProviderConfig",
    });
    expect(JSON.stringify(components)).not.toContain('"$schema"');
  });

  it("what the views produce is what the schemas say", () => {
    expect(apiIndexSchema.parse(API_INDEX)).toEqual(API_INDEX);
    expect(liveSchema.parse(LIVE)).toEqual(LIVE);
    for (const type of listProviderTypes()) providerTypeViewSchema.parse(type);
    const at = new Date("2026-01-02T03:04:05.000Z");
    const view = toSecretView({
      id: "s1",
      secretPath: "app.key",
      provider: "vault",
      providerPath: "secret/app",
      secretProviderId: "c1",
      providerConfig: '{"jsonKey":"k","cacheTtlSeconds":60}',
      description: "",
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
    expect(secretViewSchema.parse(view)).toEqual(view);
    expect(secretViewSchema.safeParse({ ...view, value: "never" }).success).toBe(false);
  });
});
