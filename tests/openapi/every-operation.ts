/**
 * Compiled (never run) against the types openapi-typescript generates from the published
 * document: every operation is called through openapi-fetch and the answers' members are used, so
 * a missing operation, a loose (empty) schema or a wrong member type fails `npm run lint:openapi`.
 * The @ts-expect-error lines prove the types refuse what the server refuses.
 */
import createClient from "openapi-fetch";
import type { paths } from "../../.cache/openapi-types";

const api = createClient<paths>({ baseUrl: "http://localhost:3000", headers: { authorization: "Bearer pvn_x" } });

export async function everyOperation(): Promise<string[]> {
  const seen: string[] = [];
  const index = await api.GET("/api");
  seen.push(index.data?.openapi ?? "");
  const health = await api.GET("/api/health");
  seen.push(health.data?.checks.database ?? "", health.data?.checks.masterKey ?? "");
  seen.push((await api.GET("/api/health/live")).data?.status ?? "");
  seen.push((await api.GET("/api/health/ready")).data?.status ?? "");

  const types = await api.GET("/api/secret-providers/types");
  const field = types.data?.[0]?.configSchema[0];
  seen.push(field?.key ?? "", field?.type ?? "", String(field?.required), String(field?.sensitive), types.data?.[0]?.sdk.package ?? "");
  seen.push(...(field?.options ?? []));

  const created = await api.POST("/api/secret-providers", {
    body: { name: "vault-prod", type: "vault", config: { vaultUrl: "https://vault.example.com", token: "hvs.x", kvVersion: "2" } },
  });
  const connection = created.data;
  if (!connection) return [created.error?.error.code ?? "", created.error?.error.fields?.["config.vaultUrl"] ?? ""];
  seen.push(
    connection.id,
    connection.type,
    connection.config.vaultUrl ?? "",
    String(connection.lastTest?.ok),
    connection.lastTest?.at ?? "",
  );
  const id = { params: { path: { id: connection.id } } };
  seen.push((await api.GET("/api/secret-providers")).data?.[0]?.name ?? "");
  seen.push((await api.GET("/api/secret-providers/{id}", id)).data?.allowedProviderPaths?.[0] ?? "");
  seen.push(
    (await api.PUT("/api/secret-providers/{id}", { ...id, body: { description: "Production", config: { token: "••••••••" } } })).data
      ?.name ?? "",
  );
  seen.push(
    (await api.PATCH("/api/secret-providers/{id}", { ...id, body: { allowedProviderPaths: ["secret/payments/**"] } })).data?.name ?? "",
  );
  const tested = (await api.POST("/api/secret-providers/{id}/test", { ...id, body: { providerPath: "secret/payments/stripe" } })).data;
  if (tested?.ok) seen.push(tested.fingerprint ?? "", tested.version ?? "");
  else seen.push(tested?.error.hint ?? "", tested?.error.code ?? "");
  await api.POST("/api/secret-providers/{id}/test", id); // the body may be left out
  const inUse = await api.DELETE("/api/secret-providers/{id}", id);
  seen.push(String(inUse.error?.error.referencingSecrets), inUse.error?.error.secrets?.[0]?.secretPath ?? "");

  const secret = (await api.POST("/api/secrets", { body: { secretPath: "stripe.api_key", value: "sk_live_x" } })).data;
  await api.POST("/api/secrets", {
    body: {
      secretPath: "db.password",
      provider: "vault",
      secretProviderId: connection.id,
      providerPath: "secret/db",
      providerConfig: { jsonKey: "password" },
    },
  });
  const list = await api.GET("/api/secrets", { params: { query: { prefix: "stripe", limit: 50 } } });
  seen.push(list.data?.[0]?.providerConfig.jsonKey ?? "", list.response.headers.get("x-next-cursor") ?? "");
  if (secret) {
    const secretId = { params: { path: { id: secret.id } } };
    seen.push((await api.GET("/api/secrets/{id}", secretId)).data?.secretPath ?? "");
    seen.push(String((await api.PUT("/api/secrets/{id}", { ...secretId, body: { value: "sk_live_y" } })).data?.version));
    seen.push(
      String(
        (
          await api.PATCH("/api/secrets/{id}", {
            ...secretId,
            params: { ...secretId.params, header: { "If-Match": '"2"' } },
            body: { description: "Stripe" },
          })
        ).data?.version,
      ),
    );
    await api.DELETE("/api/secrets/{id}", secretId);
  }

  const one = await api.GET("/api/secrets/resolve", { params: { query: { path: "stripe.api_key" } } });
  seen.push(one.data?.value ?? "", String(one.data?.cached), one.error?.error.jsonKey ?? "");
  const many = await api.POST("/api/secrets/resolve", { body: { paths: ["stripe.api_key", "db.password"] } });
  seen.push(many.data?.values["stripe.api_key"] ?? "", many.data?.errors["db.password"]?.code ?? "");
  await api.POST("/api/secrets/resolve", { body: { prefix: "stripe" } });
  const watch = await api.GET("/api/secrets/watch", { params: { query: { prefix: "stripe" } }, parseAs: "stream" });
  seen.push(String(watch.response.status));

  const usage = await api.GET("/api/secret-providers/{id}/usage", { ...id, params: { ...id.params, query: { window: "7d" } } });
  seen.push(String(usage.data?.estimatedCostUsd), usage.data?.byDay[0]?.day ?? "", String(usage.data?.byDay[0]?.cacheHits));
  if (secret) {
    const versions = await api.GET("/api/secrets/{id}/versions", { params: { path: { id: secret.id } } });
    seen.push(versions.data?.[0]?.fingerprint ?? "", String(versions.data?.[0]?.readers), versions.data?.[0]?.lastReadAt ?? "");
  }

  const policy = (
    await api.POST("/api/trust-policies", {
      body: {
        name: "ci",
        issuer: "https://token.actions.githubusercontent.com",
        audience: "provenance",
        claims: { repository: "acme/app" },
        role: "viewer",
        scope: "ci.*",
      },
    })
  ).data;
  seen.push(policy?.claims.repository ?? "", String(policy?.ttlSeconds), (await api.GET("/api/trust-policies")).data?.[0]?.issuer ?? "");
  if (policy) {
    const policyId = { params: { path: { id: policy.id } } };
    seen.push((await api.GET("/api/trust-policies/{id}", policyId)).data?.audience ?? "");
    seen.push((await api.PUT("/api/trust-policies/{id}", { ...policyId, body: { ttlSeconds: 600 } })).data?.role ?? "");
    await api.DELETE("/api/trust-policies/{id}", policyId);
  }
  const exchanged = await api.POST("/api/auth/token-exchange", { body: { token: "eyJ…" } });
  seen.push(exchanged.data?.policy.name ?? "", exchanged.data?.expiresAt ?? "", exchanged.error?.error.reason ?? "");

  const sns = await api.POST("/api/notifications/aws-sns", {
    body: {
      Type: "Notification",
      MessageId: "m",
      TopicArn: "arn:aws:sns:eu-west-1:1:t",
      Message: "{}",
      Timestamp: "t",
      SignatureVersion: "2",
      Signature: "s",
      SigningCertURL: "https://sns",
    },
  });
  seen.push(String(sns.data?.matched), sns.data?.ignored ?? "", sns.error?.error.code ?? "");
  const push = await api.POST("/api/notifications/gcp-pubsub", {
    body: { message: { attributes: { eventType: "SECRET_VERSION_ADD", secretId: "projects/p/secrets/s" } } },
  });
  seen.push(push.data?.event ?? "");
  const grid = await api.POST("/api/notifications/azure-eventgrid", {
    params: { query: { key: "k" } },
    body: [{ eventType: "Microsoft.KeyVault.SecretNewVersionCreated", data: {} }],
  });
  seen.push(grid.data && "validationResponse" in grid.data ? grid.data.validationResponse : String(grid.data?.matched));
  const hook = await api.POST("/api/notifications/webhook", {
    params: { header: { "X-Provenance-Timestamp": "1700000000", "X-Provenance-Signature": `sha256=${"0".repeat(64)}` } },
    body: { path: "secret/payments/stripe" },
  });
  seen.push(hook.data?.source ?? "");

  const token = (await api.POST("/api/tokens", { body: { name: "ci", role: "editor", scope: "stripe.*", expiresInDays: 30 } })).data;
  seen.push(token?.token ?? "", (await api.GET("/api/tokens")).data?.[0]?.tokenPrefix ?? "");
  if (token) await api.DELETE("/api/tokens/{id}", { params: { path: { id: token.id } } });
  return seen;
}

export async function refusedByTheTypes(): Promise<void> {
  await api.POST("/api/secret-providers", {
    // @ts-expect-error a config member the vault type does not have
    body: { name: "v", type: "vault", config: { vaultUrl: "https://v", token: "t", region: "x" } },
  });
  // @ts-expect-error a batch names paths or a prefix
  await api.POST("/api/secrets/resolve", { body: {} });
  // @ts-expect-error tokens have three roles
  await api.POST("/api/tokens", { body: { name: "x", role: "owner" } });
  await api.POST("/api/trust-policies", {
    // @ts-expect-error a trust policy never issues admin tokens
    body: { name: "x", issuer: "https://i", audience: "a", claims: { sub: "x" }, role: "admin", scope: "a.*" },
  });
  // @ts-expect-error the usage window is one of three
  await api.GET("/api/secret-providers/{id}/usage", { params: { path: { id: "x" }, query: { window: "1y" } } });
  const health = (await api.GET("/api/health")).data;
  // @ts-expect-error a health answer has no such member
  void health?.uptime;
}
