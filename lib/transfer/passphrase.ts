import { AppError, validationError } from "@/lib/errors";
import { normalizePassphrase } from "./bundle-crypto";

/**
 * Where the CLI gets a bundle's passphrase. Never from a command-line argument: arguments sit in
 * shell history and are visible to every user through `ps`. Instead:
 * 1. the environment variable named by `--passphrase-env` (it must then be set), else
 * 2. PROVENANCE_BUNDLE_PASSPHRASE when set, else
 * 3. a prompt on the terminal, without echo (twice when exporting, to catch a typo), else
 * 4. an error saying how to provide one.
 */
export const DEFAULT_PASSPHRASE_ENV = "PROVENANCE_BUNDLE_PASSPHRASE";
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface PassphraseOptions {
  /** The variable named by --passphrase-env, if given. */
  envVar?: string;
  /** Ask twice on a terminal (export: a typo would make the bundle unrecoverable). */
  confirm: boolean;
  env?: NodeJS.ProcessEnv;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WritableStream;
}

export async function readPassphrase(options: PassphraseOptions): Promise<string> {
  const environment = options.env ?? process.env;
  if (options.envVar !== undefined) {
    if (!ENV_NAME.test(options.envVar)) {
      throw validationError({ "passphrase-env": "Must be the name of an environment variable, e.g. BACKUP_PASSPHRASE" });
    }
    const value = environment[options.envVar];
    if (!value) {
      throw new AppError("validation_error", `The environment variable ${options.envVar} (named by --passphrase-env) is not set or empty.`);
    }
    normalizePassphrase(value);
    return value;
  }
  const fromDefault = environment[DEFAULT_PASSPHRASE_ENV];
  if (fromDefault) {
    normalizePassphrase(fromDefault);
    return fromDefault;
  }

  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  if (!input.isTTY) {
    throw new AppError(
      "validation_error",
      `No passphrase: set ${DEFAULT_PASSPHRASE_ENV} (or name another variable with --passphrase-env), ` +
        "or run the command in a terminal to be asked for one.",
    );
  }
  const first = await promptHidden(input, output, "Bundle passphrase (at least 12 characters): ");
  normalizePassphrase(first);
  if (options.confirm) {
    const second = await promptHidden(input, output, "Repeat the passphrase: ");
    if (second !== first) throw new AppError("validation_error", "The two passphrases differ; nothing was done.");
  }
  return first;
}

/** Reads one line from a terminal in raw mode, echoing nothing. Ctrl-C or Ctrl-D on an empty line cancels. */
export function promptHidden(input: NodeJS.ReadStream, output: NodeJS.WritableStream, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = "";
    const wasRaw = input.isRaw;
    const finish = (error?: Error) => {
      input.removeListener("data", onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
      for (let i = 0; i < text.length; i++) {
        const ch = text[i]!;
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003" || (ch === "\u0004" && value === ""))
          return finish(new AppError("validation_error", "Cancelled; nothing was done."));
        if (ch === "\u0004") return finish();
        if (ch === "\u007f" || ch === "\b") {
          value = Array.from(value).slice(0, -1).join("");
          continue;
        }
        if (ch === "\u0015") {
          value = ""; // Ctrl-U: clear the line
          continue;
        }
        if (ch === "\u001b") break; // an escape sequence (arrow keys …): ignore the rest of it
        if (ch < " ") continue;
        value += ch;
      }
    };
    output.write(question);
    input.setRawMode(true);
    input.resume();
    input.on("data", onData);
  });
}
