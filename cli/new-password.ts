import { AppError } from "@/lib/errors";
import { promptHidden } from "@/lib/transfer/passphrase";

/**
 * Where `user set-password` gets the new password. Never from an argument (shell history, `ps`):
 * PROVENANCE_NEW_PASSWORD when set, else a prompt on the terminal without echo, asked twice.
 * Length rules are checked by the same lib function as the dashboard's.
 */
const NEW_PASSWORD_ENV = "PROVENANCE_NEW_PASSWORD";

export async function readNewPassword(
  options: {
    env?: NodeJS.ProcessEnv;
    input?: NodeJS.ReadStream;
    output?: NodeJS.WritableStream;
  } = {},
): Promise<string> {
  const fromEnv = (options.env ?? process.env)[NEW_PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  if (!input.isTTY) {
    throw new AppError("validation_error", `No password: set ${NEW_PASSWORD_ENV}, or run the command in a terminal to be asked for one.`);
  }
  const first = await promptHidden(input, output, "New password: ");
  const second = await promptHidden(input, output, "Repeat the new password: ");
  if (second !== first) throw new AppError("validation_error", "The two passwords differ; nothing was changed.");
  return first;
}
