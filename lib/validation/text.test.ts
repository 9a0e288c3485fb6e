import { describe, expect, it } from "vitest";
import { boundOutsideText, stripControls } from "./text";

describe("stripControls", () => {
  it.each([
    ["clear screen (CSI)", "a\u001b[2Jb", "ab"],
    ["colour (CSI with parameters)", "a\u001b[1;31mb\u001b[0m", "ab"],
    ["window title (OSC 0, BEL)", "a\u001b]0;pwned\u0007b", "ab"],
    ["clipboard write (OSC 52, ST)", "a\u001b]52;c;ZWNobyBoaQ==\u001b\\b", "ab"],
    ["OSC with no terminator", "a\u001b]52;c;ZWNo", "a"],
    ["one-byte CSI (C1 0x9b)", "a\u009b2Jb", "ab"],
    ["one-byte OSC (C1 0x9d)", "a\u009d0;title\u009cb", "ab"],
    ["other C1", "a\u0085\u008db", "ab"],
    ["bidi override", "a\u202eb\u2066c\u2069", "abc"],
    ["lone ESC", "a\u001b", "a"],
    ["newline and tab", "a\nb\tc\rd", "a b c d"],
    ["NUL and DEL", "a\u0000b\u007fc", "a b c"],
    ["lone surrogate", "a\ud800b", "a\ufffdb"],
  ])("removes %s", (_name, input, expected) => {
    expect(stripControls(input)).toBe(expected);
  });

  it("keeps newlines when asked, nothing else", () => {
    expect(stripControls("a\nb\u001b[2J\tc", { keepNewlines: true })).toBe("a\nb c");
  });

  it("keeps ordinary text, accents and emoji", () => {
    expect(stripControls("Grüße, café 🔐 — ok")).toBe("Grüße, café 🔐 — ok");
  });

  it("is linear on hostile input (many unterminated sequences)", () => {
    const text = "\u001b]".repeat(512 * 1024) + "\u001b[".repeat(256 * 1024) + "\u009b".repeat(256 * 1024);
    const started = performance.now();
    stripControls(text);
    expect(performance.now() - started).toBeLessThan(750);
  });
});

describe("boundOutsideText", () => {
  it("cuts before it strips", () => {
    expect(boundOutsideText(`${"a".repeat(10)}\u001b[2J`, 10)).toBe("a".repeat(10));
    expect(boundOutsideText("x".repeat(5000)).length).toBe(1024);
  });
});
