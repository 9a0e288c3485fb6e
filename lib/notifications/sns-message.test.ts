import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { makeSigningCertificate, secretsManagerEvent, startSnsFake, type SnsFake } from "@/tests/support/fakes/sns";
import { namesInEvent } from "./aws-sns-source";
import { canonicalString, parseSnsMessage, verifySnsMessage } from "./sns-message";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:secret-changes";
let sns: SnsFake;

beforeAll(async () => {
  sns = await startSnsFake();
});
afterAll(() => sns?.close());

function configure(extra: Record<string, string> = {}) {
  Object.assign(process.env, {
    PROVENANCE_NOTIFY_AWS_TOPIC_ARNS: TOPIC,
    PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN: `^${sns.url.replace(/\./g, "\\.")}/SimpleNotificationService-[0-9a-f]+\\.pem$`,
    PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
    ...extra,
  });
  resetEnvForTests();
}
afterEach(() => {
  for (const name of [
    "PROVENANCE_NOTIFY_AWS_TOPIC_ARNS",
    "PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN",
    "PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS",
  ])
    delete process.env[name];
  resetEnvForTests();
});

const refused = async (promise: Promise<unknown>, reason: RegExp) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(error?.code).toBe("unauthorized");
  expect(error?.message).toMatch(reason);
};

describe("SNS message signatures", () => {
  it("builds the canonical string in SNS's field order, Subject only when present", () => {
    const message = parseSnsMessage({
      Type: "Notification",
      MessageId: "m",
      TopicArn: "t",
      Message: "x",
      Timestamp: "ts",
      SignatureVersion: "2",
      Signature: "s",
      SigningCertURL: "u",
    });
    expect(canonicalString(message)).toBe("Message\nx\nMessageId\nm\nTimestamp\nts\nTopicArn\nt\nType\nNotification\n");
    expect(canonicalString({ ...message, Subject: "sub" })).toContain("MessageId\nm\nSubject\nsub\nTimestamp\n");
  });

  it("accepts SignatureVersion 1 and 2 from the certificate's key, for an accepted topic", async () => {
    configure();
    const event = secretsManagerEvent("PutSecretValue", "prod/stripe");
    await verifySnsMessage(parseSnsMessage(sns.notification(TOPIC, event, { signatureVersion: "1" })));
    await verifySnsMessage(parseSnsMessage(sns.notification(TOPIC, event, { signatureVersion: "2" })));
    await verifySnsMessage(parseSnsMessage(sns.subscriptionConfirmation(TOPIC)));
  });

  it("refuses a forged signature, an edited message, another topic and a certificate from elsewhere", async () => {
    configure();
    const event = secretsManagerEvent("PutSecretValue", "prod/stripe");
    await refused(
      verifySnsMessage(parseSnsMessage(sns.notification(TOPIC, event, { key: makeSigningCertificate().key }))),
      /signature does not verify/,
    );
    const edited = { ...sns.notification(TOPIC, event), Message: JSON.stringify(secretsManagerEvent("PutSecretValue", "prod/other")) };
    await refused(verifySnsMessage(parseSnsMessage(edited)), /signature does not verify/);
    await refused(verifySnsMessage(parseSnsMessage(sns.notification(`${TOPIC}-other`, event))), /topic is not one this server accepts/);
    await refused(
      verifySnsMessage(parseSnsMessage(sns.notification(TOPIC, event, { certificateUrl: `${sns.url}/elsewhere.pem` }))),
      /SigningCertURL is not an SNS certificate address/,
    );
  });

  it("the default pattern takes only https certificates on sns.<region>.amazonaws.com", async () => {
    configure();
    delete process.env.PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN;
    resetEnvForTests();
    const { certificateUrlAllowed } = await import("./sns-certificate");
    expect(certificateUrlAllowed("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem")).toBe(true);
    expect(certificateUrlAllowed("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem")).toBe(true);
    expect(certificateUrlAllowed("http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem")).toBe(false);
    expect(certificateUrlAllowed("https://sns.eu-west-1.amazonaws.com.evil.example/x.pem")).toBe(false);
    expect(certificateUrlAllowed("https://evil.example/sns.eu-west-1.amazonaws.com/x.pem")).toBe(false);
  });
});

describe("EventBridge events for Secrets Manager", () => {
  it("names the secret of a value change and ignores reads and other services", () => {
    expect(namesInEvent(JSON.stringify(secretsManagerEvent("PutSecretValue", "prod/stripe")))).toEqual({
      event: "PutSecretValue",
      names: [{ type: "aws-sm", id: "prod/stripe" }],
    });
    expect(namesInEvent(JSON.stringify(secretsManagerEvent("GetSecretValue", "prod/stripe")))).toMatchObject({
      names: [],
      ignored: expect.any(String),
    });
    expect(namesInEvent(JSON.stringify({ ...secretsManagerEvent("PutSecretValue", "x"), source: "aws.s3" }))).toMatchObject({ names: [] });
    const rotated = {
      source: "aws.secretsmanager",
      "detail-type": "AWS Service Event via CloudTrail",
      detail: { eventName: "RotationSucceeded", additionalEventData: { SecretId: "arn:aws:secretsmanager:eu-west-1:1:secret:x" } },
    };
    expect(namesInEvent(JSON.stringify(rotated)).names).toEqual([{ type: "aws-sm", id: "arn:aws:secretsmanager:eu-west-1:1:secret:x" }]);
    expect(() => namesInEvent("not json")).toThrow(/not an EventBridge event/);
  });
});
