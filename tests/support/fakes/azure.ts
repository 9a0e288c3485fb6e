import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { applyTransportFault, FaultQueue, sendJson, startHttpFake, type HttpFake, type RecordedRequest } from "./http";
import { type AssertionRefusal, checkCertificateAssertion, checkFederatedAssertion, JWT_BEARER } from "./azure-client-assertion";
import { serverTls } from "./tls";

/**
 * Azure Key Vault plus its sign-in authority. The vault (plain http) answers unauthenticated
 * requests with Key Vault's 401 bearer challenge naming the authority; the authority (https,
 * test CA, as MSAL insists) serves the OpenID metadata and the client-credentials token
 * endpoint, issuing tokens the vault then requires. A client signs in with its secret, with a JWT
 * signed by its certificate, or with a federated token (see azure-client-assertion.ts).
 */
export interface TokenRequest {
  tenant: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  grantType: string;
  clientAssertionType?: string;
  clientAssertion?: string;
}

export interface AzureFakeOptions {
  tenantId: string;
  /** Client ID → client secret. */
  clients: Record<string, string>;
  /** Client ID → the PEM certificate uploaded to its app registration. */
  certificates?: Record<string, string>;
  /** Client ID → the federated token its federated credential accepts (settable later through `federated`). */
  federated?: Record<string, string>;
}

export interface AzureFake {
  vaultUrl: string;
  authorityUrl: string;
  vault: HttpFake;
  authority: HttpFake;
  /** Faults for authenticated secret requests (after the challenge), in order. */
  faults: FaultQueue;
  /** Faults for token requests. */
  tokenFaults: FaultQueue;
  tokenRequests: TokenRequest[];
  /** Client ID → accepted federated token; change it to follow a rotated token file. */
  federated: Record<string, string>;
  /** expires_in of the tokens issued from now on (default 3600); MSAL asks again for one expiring within 5 minutes. */
  tokenLifetimeSeconds: number;
  /** The parameters after `authorization="…"` in the vault's 401 challenge; a hostile vault names its own resource or scope. */
  challengeParameters: string;
  /** Adds a version and returns its id (32 hex digits). */
  putSecret(name: string, value: string): string;
  close(): Promise<void>;
}

const KEY_VAULT_RESOURCE = "https://vault.azure.net";

function azureError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  sendJson(res, status, { error: { code, message } }, headers);
}

export async function startAzureFake(options: AzureFakeOptions): Promise<AzureFake> {
  const federated = { ...options.federated };
  const issued = new Set<string>();
  const tokenRequests: TokenRequest[] = [];
  const faults = new FaultQueue();
  const tokenFaults = new FaultQueue();
  const secrets = new Map<string, { version: string; value: string }[]>();
  const state = { challengeParameters: `resource="${KEY_VAULT_RESOURCE}"`, tokenLifetimeSeconds: 3600 };

  const authority = await startHttpFake(async (req, res, recorded) => {
    const base = `https://127.0.0.1:${authority.port}/${options.tenantId}`;
    const url = new URL(req.url ?? "/", base);
    if (url.pathname === `/${options.tenantId}/v2.0/.well-known/openid-configuration`) {
      return sendJson(res, 200, {
        issuer: `${base}/v2.0`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ["code", "token"],
      });
    }
    if (url.pathname !== `/${options.tenantId}/oauth2/v2.0/token` || req.method !== "POST")
      return sendJson(res, 404, { error: "not_found" });
    tokenRequests.push(parseTokenRequest(options.tenantId, recorded));
    const fault = tokenFaults.take();
    if (await applyTransportFault(fault, req, res)) return;
    if (fault?.status) return sendJson(res, fault.status, { error: fault.code ?? "temporarily_unavailable", error_description: "fault" });
    const request = tokenRequests.at(-1)!;
    if (request.grantType !== "client_credentials") {
      return sendJson(res, 400, {
        error: "unsupported_grant_type",
        error_description: "AADSTS70003: The app requested an unsupported grant type.",
        error_codes: [70003],
      });
    }
    const refusal = request.clientAssertionType !== undefined ? checkAssertion(request, `${base}/oauth2/v2.0/token`) : checkSecret(request);
    if (refusal) {
      const status = refusal.error === "invalid_client" ? 401 : 400;
      return sendJson(res, status, {
        error: refusal.error,
        error_description: `AADSTS${refusal.aadsts}: ${refusal.description}`,
        error_codes: [refusal.aadsts],
      });
    }
    const token = `fake-access-token-${randomBytes(8).toString("hex")}`;
    issued.add(token);
    const lifetime = state.tokenLifetimeSeconds;
    sendJson(res, 200, { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
  }, serverTls);

  function checkSecret(request: TokenRequest): AssertionRefusal | null {
    if (request.clientSecret !== "" && options.clients[request.clientId] === request.clientSecret) return null;
    return { error: "invalid_client", aadsts: 7000215, description: "Invalid client secret provided." };
  }

  function checkAssertion(request: TokenRequest, tokenEndpoint: string): AssertionRefusal | null {
    if (request.clientAssertionType !== JWT_BEARER || !request.clientAssertion) {
      return { error: "invalid_request", aadsts: 50027, description: "Invalid client_assertion_type or missing client_assertion." };
    }
    const certificatePem = options.certificates?.[request.clientId];
    if (certificatePem)
      return checkCertificateAssertion(request.clientAssertion, { certificatePem, clientId: request.clientId, tokenEndpoint });
    const expected = federated[request.clientId];
    if (expected) return checkFederatedAssertion(request.clientAssertion, expected);
    return {
      error: "invalid_client",
      aadsts: 700027,
      description:
        "Client assertion contains an invalid signature. [Reason - No keys or federated credentials are configured for the application.]",
    };
  }

  const vault = await startHttpFake(async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token || !issued.has(token)) {
      const challenge = `Bearer authorization="${authority.url}/${options.tenantId}", ${state.challengeParameters}`;
      return azureError(res, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", { "www-authenticate": challenge });
    }
    const fault = faults.take();
    if (await applyTransportFault(fault, req, res)) return;
    if (fault?.status) {
      const headers: Record<string, string> = fault.retryAfter ? { "retry-after": fault.retryAfter } : {};
      return azureError(res, fault.status, fault.code ?? "InternalServerError", fault.message ?? "fault", headers);
    }
    const match = /^\/secrets\/([^/?]+)(?:\/([^/?]*))?$/.exec(new URL(req.url ?? "/", vault.url).pathname);
    const versions = match ? secrets.get(match[1]!) : undefined;
    const wanted = match?.[2] ? versions?.find((v) => v.version === match[2]) : versions?.at(-1);
    if (!match || !wanted)
      return azureError(res, 404, "SecretNotFound", `A secret with (name/id) ${match?.[1] ?? "?"} was not found in this key vault.`);
    sendJson(res, 200, {
      value: wanted.value,
      id: `${vault.url}/secrets/${match[1]}/${wanted.version}`,
      attributes: { enabled: true, created: 1_700_000_000, updated: 1_700_000_000, recoveryLevel: "Recoverable+Purgeable" },
    });
  });

  return {
    get challengeParameters() {
      return state.challengeParameters;
    },
    set challengeParameters(value: string) {
      state.challengeParameters = value;
    },
    get tokenLifetimeSeconds() {
      return state.tokenLifetimeSeconds;
    },
    set tokenLifetimeSeconds(value: number) {
      state.tokenLifetimeSeconds = value;
    },
    vaultUrl: vault.url,
    authorityUrl: authority.url,
    vault,
    authority,
    faults,
    tokenFaults,
    tokenRequests,
    federated,
    putSecret(name, value) {
      const version = randomBytes(16).toString("hex");
      secrets.set(name, [...(secrets.get(name) ?? []), { version, value }]);
      return version;
    },
    close: async () => {
      await Promise.all([vault.close(), authority.close()]);
    },
  };
}

function parseTokenRequest(tenant: string, recorded: RecordedRequest): TokenRequest {
  const form = new URLSearchParams(recorded.body);
  return {
    tenant,
    clientId: form.get("client_id") ?? "",
    clientSecret: form.get("client_secret") ?? "",
    scope: form.get("scope") ?? "",
    grantType: form.get("grant_type") ?? "",
    ...(form.has("client_assertion_type") ? { clientAssertionType: form.get("client_assertion_type")! } : {}),
    ...(form.has("client_assertion") ? { clientAssertion: form.get("client_assertion")! } : {}),
  };
}
