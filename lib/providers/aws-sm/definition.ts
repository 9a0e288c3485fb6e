import type { ProviderDefinition } from "../definition";

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
  ],
  pathHelp:
    "The secret name or full ARN, e.g. my-app/api-keys or arn:aws:secretsmanager:eu-west-1:123456789012:secret:my-secret. If the value is JSON, set jsonKey to return one key.",
  checkPath: (path) =>
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/.test(path) || /^[A-Za-z0-9/_+=.@!-]{1,512}$/.test(path)
      ? null
      : "Must be an AWS secret name (letters, digits and /_+=.@-) or a Secrets Manager ARN",
  crossFieldRules: (config) => {
    const problems: Record<string, string> = {};
    if (config.accessKeyId && !config.secretAccessKey) problems.secretAccessKey = "Secret Access Key is required when Access Key ID is set";
    if (config.secretAccessKey && !config.accessKeyId) problems.accessKeyId = "Access Key ID is required when Secret Access Key is set";
    return problems;
  },
} as const satisfies ProviderDefinition<"aws-sm">;
