import { z } from "zod";

/** The managers' notification senders Provenance accepts, each off until its setting is given. */
export const NOTIFICATION_SOURCES = ["aws-sns", "gcp-pubsub", "azure-eventgrid", "webhook"] as const;
export type NotificationSource = (typeof NOTIFICATION_SOURCES)[number];

/** The answer to an authentic notification (the OpenAPI component comes from this schema). */
export const notificationReplySchema = z
  .strictObject({
    source: z.enum(NOTIFICATION_SOURCES),
    event: z.string().describe("The manager's name for what happened (PutSecretValue, SECRET_VERSION_ADD, …)"),
    matched: z.int().min(0).describe("External secrets named by the notification; each was refreshed"),
    ignored: z.string().optional().describe("Why an authentic notification refreshed nothing"),
  })
  .meta({ id: "NotificationReceived" });
export type NotificationReply = z.infer<typeof notificationReplySchema>;

/** Event Grid's subscription handshake: the validation code sent back. */
export const eventGridValidationReplySchema = z
  .strictObject({ validationResponse: z.string() })
  .meta({ id: "EventGridValidationResponse" });
export type EventGridValidationReply = z.infer<typeof eventGridValidationReplySchema>;
