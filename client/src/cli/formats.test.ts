import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dotenvQuote, formatEnv, FormatError, parseDotenv } from "./formats";

describe("dotenv: what export writes, import reads back", () => {
  it("round-trips any value, one variable or several", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 4 }), (values) => {
        const clean = values.map((v) => v.replace(/\r/g, "")); // CRLF line endings are normalised on read
        const text = formatEnv(
          "dotenv",
          clean.map((value, i) => ({ name: `V${i}`, path: `p.v${i}`, value })),
        );
        expect(parseDotenv(text).map((e) => e.value)).toEqual(clean);
      }),
      { seed: 12, numRuns: 500 },
    );
  });

  it("uses single quotes unless the value has one", () => {
    expect(dotenvQuote(`a $b "c"\nd`)).toBe(`'a $b "c"\nd'`);
    expect(dotenvQuote(`it's $x\\`)).toBe(`"it's \\$x\\\\"`);
  });

  it("reads comments, export, bare values with trailing comments, and multi-line quotes", () => {
    const parsed = parseDotenv(`# top\n\nexport A=1\nB = two # note\nC='x\ny'\nD="a\\tb"\nE=\n`);
    expect(parsed.map(({ name, value }) => [name, value])).toEqual([
      ["A", "1"],
      ["B", "two"],
      ["C", "x\ny"],
      ["D", "a\tb"],
      ["E", ""],
    ]);
    expect(parsed.map((e) => e.line)).toEqual([3, 4, 5, 7, 8]);
  });

  it("names the line of what it cannot read, without echoing values", () => {
    expect(() => parseDotenv("A=1\nnot a pair\n")).toThrow(/line 2: expected NAME=value/);
    expect(() => parseDotenv("A='never closed\n")).toThrow(/line 1: the single quote of A is never closed/);
    expect(() => parseDotenv(`A="x" trailing\n`)).toThrow(FormatError);
  });
});

describe("docker and shell", () => {
  it("docker refuses a line break, naming the path and not the value", () => {
    expect(() => formatEnv("docker", [{ name: "A", path: "app.a", value: "one\ntwo" }])).toThrow(/app\.a \(A\) has a line break/);
    expect(formatEnv("docker", [{ name: "A", path: "app.a", value: `q"'$\\ ü` }])).toBe(`A=q"'$\\ ü\n`);
  });

  it("shell quotes a single quote by closing, escaping and reopening", () => {
    expect(formatEnv("shell", [{ name: "A", path: "a", value: "it's" }])).toBe(`export A='it'\\''s'\n`);
  });
});
