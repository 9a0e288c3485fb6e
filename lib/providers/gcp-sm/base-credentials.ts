import "server-only";
import { createSign } from "node:crypto";
import { providerError } from "../upstream/errors";
import { requireSdkDependency } from "../upstream/load-sdk";
import { CLOUD_PLATFORM_SCOPE, type ServiceAccountKey } from "./credential-config";
import { gcpSmDefinition } from "./definition";

/** The token that asks IAM Credentials for an impersonated account's token, from a key or the default credentials. */
const PROVIDER = gcpSmDefinition.name;
const SDK = "@google-cloud/secret-manager";

/**
 * A JWT signed with the service account's own key, with the cloud-platform scope as a claim: the
 * same self-signed form the SDK sends to Secret Manager, accepted by Google APIs without a call
 * to the OAuth token endpoint.
 */
export function selfSignedJwt(key: ServiceAccountKey): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: "RS256", typ: "JWT", ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) };
  const claims = { iss: key.clientEmail, sub: key.clientEmail, scope: CLOUD_PLATFORM_SCOPE, iat: now, exp: now + 3600 };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const unsigned = `${encode(header)}.${encode(claims)}`;
  let signature: string;
  try {
    signature = createSign("RSA-SHA256").update(unsigned).sign(key.privateKey, "base64url");
  } catch {
    throw providerError(PROVIDER, "the service account's private_key could not be used to sign in", { stage: "auth" });
  }
  return `${unsigned}.${signature}`;
}

/** The server's application default credentials (its own environment, never a connection's), through google-auth-library. */
export async function defaultCredentialsToken(signal: AbortSignal): Promise<string> {
  const { GoogleAuth } = requireSdkDependency<typeof import("google-auth-library")>(gcpSmDefinition, SDK, "google-auth-library");
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
  signal.throwIfAborted();
  const token = await auth.getAccessToken().catch((error: unknown) => {
    const message = error instanceof Error ? error.message.slice(0, 500) : "";
    throw providerError(
      PROVIDER,
      /default credentials/i.test(message)
        ? "no credentials to impersonate with: set serviceAccountJson or give the server application default credentials"
        : "the server's application default credentials could not make a token",
      { upstreamCode: "NoDefaultCredentials", stage: "auth" },
    );
  });
  if (!token)
    throw providerError(PROVIDER, "the server's application default credentials made no token", {
      upstreamCode: "NoDefaultCredentials",
      stage: "auth",
    });
  return token;
}
