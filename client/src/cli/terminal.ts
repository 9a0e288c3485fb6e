/**
 * What the CLI prints for people goes to stderr through here. Server messages and file contents
 * can carry terminal escape sequences (clear the screen, retitle the window, write the clipboard);
 * C0/C1 controls other than line breaks and tabs, and bidi overrides, are dropped. Values never
 * come here: they go to stdout only where the user asked for them.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function say(text: string): void {
  process.stderr.write(text.replace(UNSAFE, ""));
}
