import { env } from "@/lib/env";
import { receiveAwsSns } from "./aws-sns-source";
import { receiveAzureEventGrid } from "./azure-eventgrid-source";
import { receiveGcpPubsub } from "./gcp-pubsub-source";
import type { NotificationInput, SourceOutcome } from "./notification-input";
import { receiveSignedWebhook } from "./signed-webhook-source";

import { NOTIFICATION_SOURCES, type NotificationSource } from "./notification-reply";

export { NOTIFICATION_SOURCES, type NotificationSource };

interface SourceDefinition {
  /** The setting that turns the source on. */
  setting: string;
  enabled: () => boolean;
  receive: (input: NotificationInput) => Promise<SourceOutcome>;
}

export const SOURCES: Record<NotificationSource, SourceDefinition> = {
  "aws-sns": {
    setting: "PROVENANCE_NOTIFY_AWS_TOPIC_ARNS",
    enabled: () => env().PROVENANCE_NOTIFY_AWS_TOPIC_ARNS.length > 0,
    receive: receiveAwsSns,
  },
  "gcp-pubsub": {
    setting: "PROVENANCE_NOTIFY_GCP_AUDIENCE",
    enabled: () => env().PROVENANCE_NOTIFY_GCP_AUDIENCE !== undefined,
    receive: receiveGcpPubsub,
  },
  "azure-eventgrid": {
    setting: "PROVENANCE_NOTIFY_AZURE_KEY",
    enabled: () => env().PROVENANCE_NOTIFY_AZURE_KEY !== undefined,
    receive: receiveAzureEventGrid,
  },
  webhook: {
    setting: "PROVENANCE_NOTIFY_WEBHOOK_KEY",
    enabled: () => env().PROVENANCE_NOTIFY_WEBHOOK_KEY !== undefined,
    receive: receiveSignedWebhook,
  },
};

export function isNotificationSource(value: string): value is NotificationSource {
  return (NOTIFICATION_SOURCES as readonly string[]).includes(value);
}
