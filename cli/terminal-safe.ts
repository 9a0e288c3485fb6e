import { stripControls } from "@/lib/validation/text";

/**
 * Everything the CLI prints for people goes through here. Its text can hold outside data (names
 * and members from a bundle file, a server's message, a path), and a terminal obeys escape
 * sequences: a crafted file could clear the screen, retitle the window or write the clipboard
 * (OSC 52). Escape sequences, C1 controls and bidi overrides are removed; line breaks are kept.
 */
export function terminalSafe(text: string): string {
  return stripControls(text, { keepNewlines: true });
}

/** One message for people, on stderr. */
export function say(text: string): void {
  process.stderr.write(terminalSafe(text));
}
