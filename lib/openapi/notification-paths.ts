import { json, operation, type Schema } from "./operation";
import { closed, ref } from "./schemas";

/**
 * OpenAPI paths of inbound change notifications (lib/notifications): one operation per source, so
 * each states its own body and authentication. All are public: each source's own signature
 * authenticates it.
 */
const tag = "Change notifications" as const;
const errors = ["not_found", "unauthorized", "rate_limited", "database_unavailable"] as const;
const received = { "200": json("Received: matched is how many external secrets it named, all refreshed", ref("NotificationReceived")) };
const off =
  " A source that is not configured answers 404; past PROVENANCE_NOTIFY_FAILURES_PER_MINUTE refusals per source address and minute (default 30), further refusals answer 429 (authentic notifications never do). Audited as notification.received.";

/** A free-form JSON object: the managers add members over time, and unknown ones are ignored. */
const open = (description: string, required: string[], properties: Record<string, unknown>): Schema => ({
  type: "object",
  description,
  required,
  properties,
});

export function notificationPaths() {
  const sns = open(
    "An SNS HTTP(S) delivery (Notification, SubscriptionConfirmation or UnsubscribeConfirmation)",
    ["Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL"],
    {
      Type: { type: "string", enum: ["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"] },
      MessageId: { type: "string" },
      TopicArn: { type: "string" },
      Subject: { type: "string" },
      Message: { type: "string", description: "For a Notification: the EventBridge event for Secrets Manager, as JSON text" },
      Timestamp: { type: "string" },
      SignatureVersion: { type: "string", enum: ["1", "2"] },
      Signature: { type: "string" },
      SigningCertURL: { type: "string" },
      SubscribeURL: { type: "string" },
      Token: { type: "string" },
    },
  );
  const snsOperation = operation({
    id: "receiveAwsSnsNotification",
    tag,
    summary: "Secrets Manager changes from an EventBridge rule, through an SNS HTTPS subscription",
    description:
      "Authenticated by the SNS signature (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) with the certificate at SigningCertURL, " +
      "which must match PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN (https on sns.<region>.amazonaws.com); TopicArn must be one of " +
      "PROVENANCE_NOTIFY_AWS_TOPIC_ARNS. A SubscriptionConfirmation is confirmed by fetching its SubscribeURL (on the certificate's host). " +
      "A Notification's Message is an EventBridge event from aws.secretsmanager: PutSecretValue, UpdateSecret, RotateSecret, RotationSucceeded, " +
      "UpdateSecretVersionStage, RestoreSecret, DeleteSecret and CancelRotateSecret refresh the secrets named by detail.requestParameters.secretId, " +
      "responseElements.arn or resources; other events are acknowledged and ignored. SNS sends the body as text/plain." +
      off,
    body: { schema: sns },
    ok: received,
    errors: [...errors, "provider_error", "provider_timeout"],
  });
  return {
    "/api/notifications/aws-sns": {
      post: {
        ...snsOperation,
        requestBody: { required: true, content: { "text/plain": { schema: sns }, "application/json": { schema: sns } } },
      },
    },
    "/api/notifications/gcp-pubsub": {
      post: operation({
        id: "receiveGcpPubsubNotification",
        tag,
        summary: "Secret Manager events from a Pub/Sub push subscription",
        description:
          "Authenticated by the push's OIDC ID token (Authorization: Bearer): signed by a key of PROVENANCE_NOTIFY_GCP_ISSUER (default " +
          "https://accounts.google.com, keys from its discovery document), audience PROVENANCE_NOTIFY_GCP_AUDIENCE, not expired, and, when " +
          "PROVENANCE_NOTIFY_GCP_SERVICE_ACCOUNT is set, that email, verified. The message's attributes eventType (SECRET_VERSION_ADD, " +
          "SECRET_VERSION_ENABLE, SECRET_VERSION_DISABLE, SECRET_VERSION_DESTROY, SECRET_UPDATE, SECRET_DELETE refresh; others are ignored) and " +
          "secretId (projects/<project>/secrets/<secret>; a project number matches on the secret's name)." +
          off,
        body: {
          schema: open("A Pub/Sub push", ["message"], {
            message: open("The Pub/Sub message", ["attributes"], {
              attributes: open("Secret Manager's attributes", ["eventType"], {
                eventType: { type: "string" },
                secretId: { type: "string" },
                versionId: { type: "string" },
              }),
              data: { type: "string" },
              messageId: { type: "string" },
              publishTime: { type: "string" },
            }),
            subscription: { type: "string" },
          }),
        },
        ok: received,
        errors: [...errors, "provider_error", "provider_timeout"],
      }),
    },
    "/api/notifications/azure-eventgrid": {
      post: operation({
        id: "receiveAzureEventGridNotification",
        tag,
        summary: "Key Vault events from an Event Grid subscription (Event Grid schema)",
        description:
          "Authenticated by the shared key PROVENANCE_NOTIFY_AZURE_KEY in the query (?key=) or an X-Provenance-Key header, compared in " +
          "constant time before the body is read. A Microsoft.EventGrid.SubscriptionValidationEvent is answered {validationResponse: " +
          "data.validationCode}. Microsoft.KeyVault.SecretNewVersionCreated refreshes the secrets named by data.ObjectName in the vault " +
          "data.VaultName (the connection's vaultUrl host starts with it, or data.Id is on the connection's vaultUrl); other events are ignored." +
          off,
        parameters: [
          {
            name: "key",
            in: "query",
            required: false,
            description: "The shared key (or send X-Provenance-Key)",
            schema: { type: "string" },
          },
        ],
        body: {
          schema: {
            type: "array",
            minItems: 1,
            maxItems: 100,
            items: open("An Event Grid event", ["eventType", "data"], {
              id: { type: "string" },
              eventType: { type: "string" },
              subject: { type: "string" },
              data: { type: "object" },
            }),
          },
        },
        ok: {
          "200": json("Received, or the validation handshake's answer", {
            oneOf: [ref("NotificationReceived"), ref("EventGridValidationResponse")],
          }),
        },
        errors: [...errors],
      }),
    },
    "/api/notifications/webhook": {
      post: operation({
        id: "receiveWebhookNotification",
        tag,
        summary: "A signed change notice from anything else (Vault, a CI job, a script)",
        description:
          "Headers X-Provenance-Timestamp (Unix seconds, within 5 minutes of the server's clock) and X-Provenance-Signature: " +
          'sha256=<hex HMAC-SHA256 with PROVENANCE_NOTIFY_WEBHOOK_KEY over "<timestamp>.<body>">. The body names the upstream path or ' +
          "name as secrets spell providerPath (Vault: secret/app/db or secret/data/app/db alike), optionally one connection." +
          off,
        parameters: [
          { name: "X-Provenance-Timestamp", in: "header", required: true, schema: { type: "string", pattern: "^[0-9]+$" } },
          { name: "X-Provenance-Signature", in: "header", required: true, schema: { type: "string", pattern: "^sha256=[0-9a-f]{64}$" } },
        ],
        body: {
          schema: closed(["path"], {
            path: { type: "string", minLength: 1, maxLength: 1024, description: "The upstream path or name" },
            connectionId: { type: "string", description: "Only secrets of this connection" },
          }),
        },
        ok: received,
        errors: [...errors],
      }),
    },
  };
}
