import "server-only";
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import type { AdapterContext } from "../adapter";
import type { ProviderConfig } from "../definition";
import { providerError } from "../upstream/errors";
import { guardedAgent } from "../upstream/guarded-lookup";
import { readTokenFile } from "../upstream/token-file";
import { azureKvDefinition } from "./definition";

const PROVIDER = azureKvDefinition.name;

/** How a connection signs in to Entra ID; chooses the hint when the token endpoint says no. */
export type SignInKind = "secret" | "certificate" | "federated" | "default";

export function signInKind(config: ProviderConfig): SignInKind {
  // The same reading as the form's "Sign in with" choice.
  return azureKvDefinition.signIn.methodOf(config) as SignInKind;
}

type Identity = typeof import("@azure/identity");

/**
 * The credential for a connection. App registrations sign in at the configured authority through
 * the metadata guard (managed identity is left alone: it must reach the instance metadata
 * service). The SDK follows redirects only within the same origin, so a client assertion or
 * secret never goes to another host. One attempt per call: callUpstream retries and owns the deadline.
 */
export function signInCredential(identity: Identity, context: AdapterContext): TokenCredential {
  const config: ProviderConfig = context.config;
  const retryOptions = { maxRetries: 0 };
  const options = {
    ...(config.authorityHost ? { authorityHost: config.authorityHost, disableInstanceDiscovery: true } : {}),
    agent: guardedAgent("https:", context.resolveHost),
    retryOptions,
  };
  const tenantId = config.tenantId ?? "";
  const clientId = config.clientId ?? "";
  switch (signInKind(config)) {
    case "default":
      return new identity.DefaultAzureCredential({ retryOptions });
    case "certificate":
      return new identity.ClientCertificateCredential(
        tenantId,
        clientId,
        { certificate: checkedCertificate(config.clientCertificate ?? "") },
        options,
      );
    case "federated": {
      // Read at every token request (MSAL asks only when it has no valid token): the platform
      // rotates the file, and readTokenFile keeps to PROVENANCE_TOKEN_FILE_DIRS.
      const file = config.federatedTokenFile ?? "";
      return new identity.ClientAssertionCredential(tenantId, clientId, () => readTokenFile(PROVIDER, file), options);
    }
    case "secret":
      return new identity.ClientSecretCredential(tenantId, clientId, config.clientSecret ?? "", options);
  }
}

const CERTIFICATE_HINT = "Paste the PEM of the certificate uploaded to the app registration followed by its unencrypted RSA private key.";

/**
 * Checks locally what Entra would refuse less clearly: the certificate parses, the key is RSA
 * (client assertions are signed RS256/PS256) and belongs to the certificate, and the certificate
 * has not expired. Messages describe the problem, never the PEM.
 */
export function checkedCertificate(pem: string, now = new Date()): string {
  const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyBlock = /-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/.exec(pem)?.[0];
  const refuse = (reason: string) => providerError(PROVIDER, `unusable client certificate: ${reason}`, { hint: CERTIFICATE_HINT });
  if (!certificateBlock || !keyBlock) throw refuse("it needs a CERTIFICATE block and an unencrypted PRIVATE KEY block");
  let certificate: X509Certificate;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    certificate = new X509Certificate(certificateBlock);
  } catch {
    throw refuse("the CERTIFICATE block is not a valid X.509 certificate");
  }
  try {
    key = createPrivateKey(keyBlock);
  } catch {
    throw refuse("the PRIVATE KEY block is not a valid unencrypted private key");
  }
  if (key.asymmetricKeyType !== "rsa")
    throw refuse(`the private key is ${key.asymmetricKeyType ?? "not RSA"}; Entra ID takes RSA keys only`);
  if (!certificate.checkPrivateKey(key)) throw refuse("the private key does not belong to the (first) certificate");
  if (new Date(certificate.validTo) < now) throw refuse(`the certificate expired on ${new Date(certificate.validTo).toISOString()}`);
  return pem;
}
