import { MAX_CALLS_PER_MINUTE_FIELD, TOKEN_FILE_FORMAT, type ProviderDefinition } from "../definition";

/** What STS calls the session when roleSessionName is not set (it shows in CloudTrail). */
export const DEFAULT_ROLE_SESSION_NAME = "provenance";
/** The fields that only mean something with a role to assume. */
const ROLE_OPTIONS = [
  ["externalId", "External ID"],
  ["roleSessionName", "Role session name"],
  ["webIdentityTokenFile", "Web identity token file"],
  ["stsEndpoint", "STS endpoint override"],
] as const;

export const awsSmDefinition = {
  type: "aws-sm",
  name: "AWS Secrets Manager",
  description: "Fetch secrets from AWS Secrets Manager at runtime",
  sdkPackages: ["@aws-sdk/client-secrets-manager"],
  fields: [
    {
      key: "region",
      label: "Region",
      type: "text",
      required: true,
      placeholder: "eu-west-1",
      help: "AWS region of the secrets, e.g. eu-west-1",
      format: { kind: "pattern", pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, message: "Must be an AWS region such as eu-west-1" },
    },
    {
      key: "accessKeyId",
      label: "Access Key ID",
      type: "password",
      required: false,
      sensitive: true,
      help: "IAM access key. Omit to use the IAM role / default credential chain",
      placeholder: "AKIA…",
      format: { kind: "pattern", pattern: /^[A-Z0-9]{16,128}$/, message: "Must be an AWS access key ID (letters A-Z and digits)" },
    },
    {
      key: "secretAccessKey",
      label: "Secret Access Key",
      type: "password",
      required: false,
      sensitive: true,
      help: "IAM secret key. Required if Access Key ID is set",
      format: { kind: "any" },
    },
    {
      key: "endpoint",
      label: "Endpoint override",
      type: "url",
      required: false,
      help: "Optional: a VPC, FIPS or regional endpoint URL. Leave empty for the standard endpoint",
      placeholder: "https://secretsmanager-fips.us-east-1.amazonaws.com",
      address: true,
      format: { kind: "url" },
    },
    {
      key: "roleArn",
      label: "Role ARN",
      type: "text",
      required: false,
      help: "Optional: an IAM role to assume (sts:AssumeRole) with the keys above or the default chain, or with the web identity token file below",
      placeholder: "arn:aws:iam::123456789012:role/provenance-reader",
      format: {
        kind: "pattern",
        pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
        message: "Must be an IAM role ARN such as arn:aws:iam::123456789012:role/provenance-reader",
      },
    },
    {
      key: "externalId",
      label: "External ID",
      type: "text",
      required: false,
      // Not a secret (AWS: it guards against the confused deputy, and is shown to whoever sets up the role).
      help: "Optional: the external ID the role's trust policy requires (sts:ExternalId)",
      maxLength: 1224,
      format: { kind: "pattern", pattern: /^[\w+=,.@:/-]{2,1224}$/, message: "Must be 2 to 1224 letters, digits or +=,.@:/-_" },
    },
    {
      key: "roleSessionName",
      label: "Role session name",
      type: "text",
      required: false,
      help: `Optional: the session name CloudTrail shows for the assumed role (default ${DEFAULT_ROLE_SESSION_NAME})`,
      placeholder: DEFAULT_ROLE_SESSION_NAME,
      maxLength: 64,
      format: { kind: "pattern", pattern: /^[\w+=,.@-]{2,64}$/, message: "Must be 2 to 64 letters, digits or +=,.@-_" },
    },
    {
      key: "webIdentityTokenFile",
      label: "Web identity token file",
      type: "text",
      required: false,
      help: "Optional: a file holding an OIDC token (e.g. a projected Kubernetes service-account token) to assume the role with (sts:AssumeRoleWithWebIdentity) instead of keys",
      placeholder: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
      format: TOKEN_FILE_FORMAT,
    },
    {
      key: "stsEndpoint",
      label: "STS endpoint override",
      type: "url",
      required: false,
      help: "Optional: where to assume the role, e.g. a VPC endpoint for STS. Leave empty for the region's STS endpoint",
      placeholder: "https://sts.eu-west-1.amazonaws.com",
      // Signed AssumeRole requests and web identity tokens go there.
      address: true,
      format: { kind: "url" },
    },
    MAX_CALLS_PER_MINUTE_FIELD,
  ],
  pathHelp:
    "The secret name or full ARN, e.g. my-app/api-keys or arn:aws:secretsmanager:eu-west-1:123456789012:secret:my-secret. If the value is JSON, set jsonKey to return one key.",
  checkPath: (path) =>
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/.test(path) || /^[A-Za-z0-9/_+=.@!-]{1,512}$/.test(path)
      ? null
      : "Must be an AWS secret name (letters, digits and /_+=.@-) or a Secrets Manager ARN",
  signIn: {
    methods: [
      {
        value: "keys",
        label: "Access keys",
        help: "An IAM user's access key ID and secret access key, stored encrypted.",
        fields: ["accessKeyId", "secretAccessKey"],
        required: ["accessKeyId", "secretAccessKey"],
      },
      {
        value: "role",
        label: "Assume a role",
        help: "sts:AssumeRole, signed with the access keys given here or, left empty, with the server's own AWS credentials.",
        fields: ["roleArn", "accessKeyId", "secretAccessKey", "externalId", "roleSessionName", "stsEndpoint"],
        required: ["roleArn"],
      },
      {
        value: "web-identity",
        label: "Web identity token (keyless)",
        help: "sts:AssumeRoleWithWebIdentity with an OIDC token file, e.g. a projected Kubernetes service-account token: no keys stored.",
        fields: ["roleArn", "webIdentityTokenFile", "roleSessionName", "stsEndpoint"],
        required: ["roleArn", "webIdentityTokenFile"],
      },
      {
        value: "default",
        label: "The server's default credentials",
        help: "The AWS default credential chain where Provenance runs (environment, instance profile, ECS task or EKS pod role): nothing stored.",
        fields: [],
      },
    ],
    // As the adapter decides: a role first (with a token file, keys or neither), then keys.
    methodOf: (config) => {
      if (config.webIdentityTokenFile) return "web-identity";
      if (config.roleArn) return "role";
      return config.accessKeyId || config.secretAccessKey ? "keys" : "default";
    },
  },
  crossFieldRules: (config) => {
    const problems: Record<string, string> = {};
    if (config.accessKeyId && !config.secretAccessKey) problems.secretAccessKey = "Secret Access Key is required when Access Key ID is set";
    if (config.secretAccessKey && !config.accessKeyId) problems.accessKeyId = "Access Key ID is required when Secret Access Key is set";
    for (const [key, label] of ROLE_OPTIONS) {
      if (config[key] && !config.roleArn) problems[key] = `${label} needs a Role ARN`;
    }
    if (config.webIdentityTokenFile) {
      // AssumeRoleWithWebIdentity is unsigned: keys would never be used, so both at once is a mistake.
      if (config.accessKeyId || config.secretAccessKey) {
        problems.webIdentityTokenFile =
          "A web identity token file replaces access keys: leave Access Key ID and Secret Access Key empty, or remove the token file";
      }
      if (config.externalId && config.roleArn)
        problems.externalId = "An external ID is for AssumeRole, not for a web identity token file (AWS takes none there)";
    }
    return problems;
  },
} as const satisfies ProviderDefinition<"aws-sm">;
