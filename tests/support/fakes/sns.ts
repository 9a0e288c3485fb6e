import { execFileSync } from "node:child_process";
import { createPrivateKey, randomUUID, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sendJson, startHttpFake, type RecordedRequest } from "./http";

/**
 * Amazon SNS as an HTTPS subscriber sees it: messages signed the way SNS signs them (the canonical
 * string of their fields, SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2) with a
 * certificate served at SigningCertURL, and a SubscribeURL that confirms the subscription when
 * fetched. The certificate is self-signed by openssl (node:crypto cannot issue X.509 certificates).
 */
export interface SnsFake {
  url: string;
  certificateUrl: string;
  /** Topic ARNs whose subscriptions were confirmed through SubscribeURL. */
  confirmed: string[];
  requests: RecordedRequest[];
  /** A signed Notification whose Message is `message` (an EventBridge event, as JSON text). */
  notification(topicArn: string, message: unknown, options?: SignOptions): Record<string, string>;
  /** A signed SubscriptionConfirmation whose SubscribeURL points at this fake. */
  subscriptionConfirmation(topicArn: string, options?: SignOptions): Record<string, string>;
  close(): Promise<void>;
}

export interface SignOptions {
  signatureVersion?: "1" | "2";
  /** Sign with another key than the certificate's (a forgery). */
  key?: KeyObject;
  certificateUrl?: string;
}

const SIGNED_FIELDS: Record<string, string[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};

/** An RSA key and a self-signed certificate for it, valid for two days. */
export function makeSigningCertificate(name = "sns.eu-west-1.amazonaws.com"): { pem: string; key: KeyObject } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-sns-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", `/CN=${name}`],
      { stdio: "ignore" },
    );
    return { pem: readFileSync(certFile, "utf8"), key: createPrivateKey(readFileSync(keyFile, "utf8")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startSnsFake(): Promise<SnsFake> {
  const { pem, key } = makeSigningCertificate();
  const confirmed: string[] = [];
  const certificatePath = `/SimpleNotificationService-${randomUUID().replace(/-/g, "")}.pem`;
  const fake = await startHttpFake((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname === certificatePath) {
      res.writeHead(200, { "content-type": "application/x-pem-file" });
      res.end(pem);
      return;
    }
    if (req.method === "GET" && url.searchParams.get("Action") === "ConfirmSubscription") {
      confirmed.push(url.searchParams.get("TopicArn") ?? "");
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        "<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>arn</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>",
      );
      return;
    }
    sendJson(res, 404, { error: "not found" });
  });
  const certificateUrl = `${fake.url}${certificatePath}`;

  function signed(fields: Record<string, string>, options: SignOptions = {}): Record<string, string> {
    const version = options.signatureVersion ?? "2";
    const canonical = SIGNED_FIELDS[fields.Type!]!.filter((name) => fields[name] !== undefined)
      .map((name) => `${name}\n${fields[name]}\n`)
      .join("");
    const signature = sign(version === "1" ? "sha1" : "sha256", Buffer.from(canonical), options.key ?? key).toString("base64");
    return { ...fields, SignatureVersion: version, Signature: signature, SigningCertURL: options.certificateUrl ?? certificateUrl };
  }

  return {
    url: fake.url,
    certificateUrl,
    confirmed,
    requests: fake.requests,
    notification: (topicArn, message, options) =>
      signed(
        {
          Type: "Notification",
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Message: typeof message === "string" ? message : JSON.stringify(message),
          Timestamp: new Date().toISOString(),
          UnsubscribeURL: `${fake.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(`${topicArn}:sub`)}`,
        },
        options,
      ),
    subscriptionConfirmation: (topicArn, options) => {
      const token = randomUUID().replace(/-/g, "");
      return signed(
        {
          Type: "SubscriptionConfirmation",
          MessageId: randomUUID(),
          Token: token,
          TopicArn: topicArn,
          Message: `You have chosen to subscribe to the topic ${topicArn}.`,
          SubscribeURL: `${fake.url}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`,
          Timestamp: new Date().toISOString(),
        },
        options,
      );
    },
    close: fake.close,
  };
}

/** The EventBridge event CloudTrail produces for a Secrets Manager call, as SNS carries it. */
export function secretsManagerEvent(eventName: string, secretId: string, region = "eu-west-1"): Record<string, unknown> {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.secretsmanager",
    account: "123456789012",
    time: new Date().toISOString(),
    region,
    resources: [],
    detail: {
      eventVersion: "1.08",
      eventSource: "secretsmanager.amazonaws.com",
      eventName,
      awsRegion: region,
      requestParameters: { secretId },
      responseElements: null,
    },
  };
}
