import { describe, expect, it } from "vitest";
import { describeError, redact, redactPrivateKeys } from "./log";

/**
 * The logger sees outside text (upstream errors, paths callers sent). Each redaction must cost
 * time linear in the text, whatever it holds: these inputs are the worst cases for each pattern,
 * one mebibyte long. A quadratic pattern takes seconds on them (the private-key pattern this
 * replaced: about 2 s for 1 MiB, 30 s for 4 MiB); a linear one a few milliseconds. The bound is
 * loose on purpose (a loaded machine must not decide), yet far below what quadratic work costs.
 */
const MIB = 1024 * 1024;
const fill = (unit: string, size = MIB) => unit.repeat(Math.ceil(size / unit.length));

function millis(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

const HOSTILE: Record<string, string> = {
  "BEGIN … PRIVATE KEY with no END": fill("-----BEGIN RSA PRIVATE KEY-----\n"),
  "BEGIN lines with long headers": fill(`-----BEGIN ${"A ".repeat(30)}`),
  "END lines only": fill("-----END RSA PRIVATE KEY-----\n"),
  "token prefixes, too short": fill("pvn_abc hvs.abc AKIA12 "),
  "ciphertext prefixes": fill("pv1.aaaa.bbbb "),
  "unterminated quoted secrets": fill('password: "abc\\'),
  "keys with spaces and no value": fill(`secret${" ".repeat(50)}`),
};

describe("redaction over hostile text", () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`is linear on ${name}`, () => {
      redact(text.slice(0, 4096)); // warm up the regex engine
      expect(millis(() => redact(text))).toBeLessThan(750);
    });
  }

  it("grows linearly: four times the text costs well under sixteen times the work", () => {
    const small = fill("-----BEGIN RSA PRIVATE KEY-----\n", 256 * 1024);
    const large = fill("-----BEGIN RSA PRIVATE KEY-----\n", 1024 * 1024);
    const best = (text: string) => Math.min(...[0, 1, 2].map(() => millis(() => redact(text))));
    // Absolute slack for timer noise at small figures; quadratic growth would be 16x.
    expect(best(large)).toBeLessThan(best(small) * 8 + 50);
  });
});

describe("private key redaction", () => {
  it("hides a whole key, BEGIN to END, and keeps what follows", () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    expect(redactPrivateKeys(`before ${key} after ${key} end`)).toBe("before [redacted private key] after [redacted private key] end");
  });

  it("hides everything after a BEGIN that has no END (a cut-off key is still a key)", () => {
    expect(redactPrivateKeys("x -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI")).toBe("x [redacted private key]");
  });

  it("works inside a JSON log line, where newlines are escaped", () => {
    const line = JSON.stringify({ m: "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----" });
    expect(redact(line)).toBe('{"m":"[redacted private key]"}');
  });

  it("still masks the other shapes", () => {
    expect(redact('pvn_abcdefghijklmnopqrstuvwxyz hvs.abcdefghijkl AKIAABCDEFGHIJKL "password": "hunter2"')).toBe(
      'pvn_[redacted] hvs.[redacted] AKIA[redacted] "password": "[redacted]"',
    );
  });
});

describe("describeError", () => {
  it("cuts an outside message first and strips control sequences from it", () => {
    const error = new Error(`\u001b]0;owned\u0007\u001b[2Jhello\u009b31m\u202e${"x".repeat(MIB)}`);
    const fields = describeError(error);
    expect(fields.errorMessage).toMatch(/^hellox+$/);
    expect(String(fields.errorMessage).length).toBeLessThanOrEqual(500);
  });
});
