import { verify } from "node:crypto";
import { z } from "zod";
import { env } from "@/lib/env";
import { malformed, notAuthentic } from "./notification-error";
import { snsSigningKey } from "./sns-certificate";

/**
 * An SNS HTTP(S) delivery, verified as AWS documents it: the canonical string of the message's
 * fields (name and value lines, in a fixed order per type) signed with SHA1withRSA (SignatureVersion
 * 1) or SHA256withRSA (2) by the certificate at SigningCertURL. Only topics named in
 * PROVENANCE_NOTIFY_AWS_TOPIC_ARNS are accepted: anyone can create a topic in their own account and
 * subscribe this endpoint, and SNS signs their messages just the same.
 */
const snsMessage = z.object({
  Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string().max(200),
  TopicArn: z.string().max(300),
  Message: z.string(),
  Timestamp: z.string().max(100),
  SignatureVersion: z.enum(["1", "2"]),
  Signature: z.string().max(2048),
  SigningCertURL: z.string().max(2048),
  Subject: z.string().max(1000).optional(),
  SubscribeURL: z.string().max(4096).optional(),
  Token: z.string().max(4096).optional(),
});

export type SnsMessage = z.infer<typeof snsMessage>;

const SIGNED_FIELDS: Record<SnsMessage["Type"], Array<keyof SnsMessage>> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
  UnsubscribeConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};

/** The string SNS signs: each present field as "Name\nValue\n", in SIGNED_FIELDS order. */
export function canonicalString(message: SnsMessage): string {
  return SIGNED_FIELDS[message.Type]
    .filter((field) => message[field] !== undefined)
    .map((field) => `${field}\n${message[field]}\n`)
    .join("");
}

export function parseSnsMessage(body: unknown): SnsMessage {
  const parsed = snsMessage.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw malformed(issue.path.join(".") || "body", `an SNS message needs ${issue.path.join(".") || "its fields"} (${issue.message})`);
  }
  if (parsed.data.Type !== "Notification" && parsed.data.SubscribeURL === undefined)
    throw malformed("SubscribeURL", "a subscription message carries SubscribeURL");
  return parsed.data;
}

/** Throws 401 unless the topic is one we accept and the signature verifies. */
export async function verifySnsMessage(message: SnsMessage): Promise<void> {
  if (!env().PROVENANCE_NOTIFY_AWS_TOPIC_ARNS.includes(message.TopicArn))
    throw notAuthentic("the SNS topic is not one this server accepts (PROVENANCE_NOTIFY_AWS_TOPIC_ARNS)");
  const key = await snsSigningKey(message.SigningCertURL);
  const algorithm = message.SignatureVersion === "1" ? "sha1" : "sha256";
  let ok = false;
  try {
    ok = verify(algorithm, Buffer.from(canonicalString(message), "utf8"), key, Buffer.from(message.Signature, "base64"));
  } catch {
    ok = false;
  }
  if (!ok) throw notAuthentic("the SNS signature does not verify with the signing certificate");
}
