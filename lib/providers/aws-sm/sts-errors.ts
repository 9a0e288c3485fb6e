import { isAppError } from "@/lib/errors";
import type { InterpretedFailure } from "../upstream/call-upstream";
import { providerError, upstreamCode, type ProviderErrorExtra } from "../upstream/errors";
import { awsSmDefinition } from "./definition";
import { interpretAwsError } from "./upstream-errors";

/**
 * STS errors while assuming a role → provider_error naming the role and saying what to fix.
 * Built from the error's code and status only: STS's own message can name principals, and the
 * request held keys or a token, none of which may reach a message.
 */
const PROVIDER = awsSmDefinition.name;

export type StsAction = "AssumeRole" | "AssumeRoleWithWebIdentity";

export function interpretStsError(error: unknown, roleArn: string, action: StsAction): InterpretedFailure {
  if (isAppError(error)) return { error, retryable: false }; // already worded (a token file refused, a metadata address)
  const e = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const code = upstreamCode(e.name);
  const upstream = { upstreamCode: code, upstreamStatus: e.$metadata?.httpStatusCode };
  const fail = (reason: string, hint: string) => ({
    error: providerError(PROVIDER, `${reason} (${action}, ${code})`, { ...upstream, hint, stage: "auth" }),
    retryable: false,
  });
  const web = action === "AssumeRoleWithWebIdentity";

  switch (code.replace(/Exception$/, "")) {
    case "AccessDenied":
      return fail(
        `not allowed to assume role ${roleArn}`,
        web
          ? "The role's trust policy must allow sts:AssumeRoleWithWebIdentity for the token's issuer (an IAM OIDC identity provider), audience and subject."
          : "The role's trust policy must allow sts:AssumeRole for the identity whose keys sign the request, and the external ID must match its sts:ExternalId condition; that identity needs sts:AssumeRole on the role too.",
      );
    case "ExpiredToken":
      return fail(
        web ? `the web identity token for role ${roleArn} has expired` : `the credentials used to assume role ${roleArn} have expired`,
        web
          ? "The platform must keep the token file fresh (a projected service-account token is rotated by the kubelet)."
          : "Use long-lived keys or a default chain that refreshes its session.",
      );
    case "InvalidIdentityToken":
      return fail(
        `the web identity token was refused for role ${roleArn}`,
        "The role's account needs an IAM OIDC identity provider for the token's issuer, with the token's audience in its client IDs.",
      );
    case "IDPRejectedClaim":
      return fail(
        `the identity provider rejected the token's claims for role ${roleArn}`,
        "The role's trust policy must allow the token's audience and subject.",
      );
    case "IDPCommunicationError":
      return fail(
        `STS could not reach the token's issuer for role ${roleArn}`,
        "The issuer's OIDC discovery document and keys must be reachable from AWS.",
      );
    case "RegionDisabled":
      return fail(
        `STS is not activated in this region for role ${roleArn}`,
        "Activate STS for the region in the account's IAM settings, or set an STS endpoint override.",
      );
    case "MalformedPolicyDocument":
    case "PackedPolicyTooLarge":
    case "ValidationError":
      return fail(`the request to assume role ${roleArn} was refused`, "Check the role ARN, the role session name and the external ID.");
  }
  // Anything else (rejected keys, no default credentials, the network, throttling) is worded as for
  // Secrets Manager, and retried when that would be.
  const generic = interpretAwsError(error, `role ${roleArn}`);
  if (generic.error.code !== "provider_error") return generic;
  const reason = generic.error.message.slice(`${PROVIDER}: `.length).replace(`reading role ${roleArn}`, `assuming role ${roleArn}`);
  return {
    ...generic,
    error: providerError(
      PROVIDER,
      reason.includes(roleArn) ? `${reason} (${action})` : `${reason} while assuming role ${roleArn} (${action})`,
      {
        ...(generic.error.extra as ProviderErrorExtra),
      },
    ),
  };
}
