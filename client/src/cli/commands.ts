import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { constants } from "node:os";
import { createClient, resolveForEnv } from "../client.js";
import { envName, isUnderPrefix } from "../env-names.js";
import { ProvenanceError } from "../errors.js";
import { createTransport, type IdTokenSource } from "../transport.js";
import { describeAge, fallbackContext, loadFallback, parseMaxAge, saveFallback, serverUnreachable, type Planned } from "./fallback.js";
import { importBase, isOnConflict, planEnvImport, readEnvImport, type EnvImportCounts, type EnvImportEntry } from "../env-import.js";
import { FORMATS, FormatError, formatEnv, type Format } from "./formats.js";
import { say } from "./terminal.js";

export interface CommandOptions {
  url: string;
  /** The API token; absent when an ID token is exchanged instead. */
  token?: string;
  idToken?: IdTokenSource;
  raw?: boolean;
  prefix?: string[];
  path?: string[];
  env?: string[];
  "no-override"?: boolean;
  format?: string;
  "on-conflict"?: string;
  "fallback-file"?: string;
  watch?: boolean;
  "fallback-max-age"?: string;
  positionals: string[];
  /** What came after `--` (run's command). */
  command: string[];
}

export const USAGE = `Usage (remote mode: PROVENANCE_URL and PROVENANCE_TOKEN, or --url and --token; instead of a
token, PROVENANCE_ID_TOKEN_FILE or --id-token-file names a file holding an OIDC ID token to exchange):
  provenance get <path> [--raw]
  provenance run [--prefix P]... [--path P]... [--env NAME=path]... [--no-override] [--watch]
                 [--fallback-file F [--fallback-max-age 24h]] -- cmd args...
  provenance export [--prefix P]... [--path P]... [--env NAME=path]... --format dotenv|docker|json|shell
  provenance import <file.env> --prefix P [--on-conflict fail|skip|replace]

Names: prefix stripe turns stripe.apiKey into API_KEY; --path stripe.apiKey gives STRIPE_API_KEY;
--env NAME=path names one explicitly.
`;

type Command = (options: CommandOptions) => Promise<number>;

const clientFor = (options: CommandOptions) =>
  createClient({ url: options.url, token: options.token, idToken: options.idToken, cacheTtlSeconds: 0 });

// provenance get <path>: the value and a newline on stdout (--raw: the exact bytes).
const get: Command = async (options) => {
  const [path, extra] = options.positionals;
  if (!path || extra !== undefined) throw new ProvenanceError("bad_usage", "get takes one secret path, e.g. provenance get stripe.apiKey");
  const secret = await clientFor(options).getSecret(path);
  await write(options.raw ? secret.value : `${secret.value}\n`);
  return 0;
};

// provenance export …: every value under its variable name, in the chosen format, on stdout.
const exportCommand: Command = async (options) => {
  const format = options.format as Format;
  if (!FORMATS.includes(format)) throw new ProvenanceError("bad_usage", `--format must be one of ${FORMATS.join(", ")}.`);
  noPositionals(options, "export");
  const planned = await plan(options);
  try {
    await write(
      formatEnv(
        format,
        Object.entries(planned).map(([name, { path, value }]) => ({ name, path, value })),
      ),
    );
  } catch (error) {
    if (error instanceof FormatError) throw new ProvenanceError("unsupported_value", error.message);
    throw error;
  }
  return 0;
};

// provenance run … -- cmd: resolve everything first; any failure and cmd never starts.
const run: Command = async (options) => {
  const [program, ...args] = options.command;
  if (!program) throw new ProvenanceError("bad_usage", "run needs a command after --, e.g. provenance run --prefix app -- node server.js");
  noPositionals(options, "run");
  const planned = await planWithFallback(options);
  const forward = forwardSignals();
  try {
    if (!options.watch) return await forward.follow(startChild(program, args, childEnv(planned, options)));
    return await runWatching(options, program, args, planned, forward);
  } finally {
    forward.stop();
  }
};

/**
 * run --watch: the command restarts (SIGTERM, then SIGKILL after 10 s) when a value it was given
 * changes; a change that cannot be resolved leaves it running on the old values. Ends when the
 * command ends by itself, with its exit code.
 */
async function runWatching(
  options: CommandOptions,
  program: string,
  args: string[],
  first: Planned,
  forward: SignalForwarder,
): Promise<number> {
  const { prefixes, paths, names } = requested(options);
  const exact = new Set([...paths, ...Object.values(names)]);
  const relevant = (secretPath: string) =>
    exact.has(secretPath) || prefixes.some((prefix) => secretPath === prefix.replace(/\.$/, "") || isUnderPrefix(secretPath, prefix));
  let current = first;
  let child = startChild(program, args, childEnv(current, options));
  let pending: ReturnType<typeof setTimeout> | undefined;
  let checking = Promise.resolve();

  const check = async () => {
    let next: Planned;
    try {
      next = await plan(options);
    } catch (error) {
      const reason = error instanceof ProvenanceError ? `${error.code}: ${error.message}` : String(error);
      say(`provenance: a value changed but could not be resolved (${reason}); ${program} keeps running with the values it has.\n`);
      return;
    }
    const changed = changedNames(current, next);
    if (changed.length === 0) return;
    current = next;
    say(`provenance: ${changed.join(", ")} changed; restarting ${program}.\n`);
    const previous = child;
    child = startChild(program, args, childEnv(current, options), previous.stop());
  };
  const client = clientFor(options);
  const watches = [...prefixes, ...exact].map((prefix) =>
    client.watch(
      prefix.replace(/\.$/, ""),
      (change) => {
        if (!relevant(change.secretPath)) return;
        // A burst of changes (an import, a rotation of several values) is one restart.
        clearTimeout(pending);
        pending = setTimeout(() => (checking = checking.then(check)), 300);
      },
      { onError: (error) => say(`provenance: watching ${prefix}: ${error.code}: ${error.message}\n`) },
    ),
  );
  try {
    for (;;) {
      const watched = child;
      const code = await forward.follow(watched);
      if (watched === child) return code; // ended by itself, not replaced by a restart
    }
  } finally {
    clearTimeout(pending);
    for (const watch of watches) watch.close();
  }
}

function changedNames(before: Planned, after: Planned): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name]?.value !== after[name]?.value).sort();
}

function childEnv(planned: Planned, options: CommandOptions): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [name, { value }] of Object.entries(planned)) {
    if (options["no-override"] && process.env[name] !== undefined) continue;
    env[name] = value;
  }
  return env;
}

// provenance import <file.env> --prefix P: each variable stored as P.<name as written>.
const importCommand: Command = async (options) => {
  const [file, extra] = options.positionals;
  const prefix = options.prefix?.[0];
  if (!file || extra !== undefined || !prefix || (options.prefix?.length ?? 0) > 1) {
    throw new ProvenanceError("bad_usage", "import takes one .env file and one --prefix, e.g. provenance import .env --prefix app");
  }
  const onConflict = options["on-conflict"] ?? "fail";
  if (!isOnConflict(onConflict)) throw new ProvenanceError("bad_usage", "--on-conflict must be fail, skip or replace.");

  let entries: EnvImportEntry[];
  try {
    entries = readEnvImport(await readFile(file, "utf8"), prefix);
  } catch (error) {
    if (error instanceof FormatError) throw new ProvenanceError("invalid_file", `${file}: ${error.message}`);
    throw new ProvenanceError("invalid_file", `${file} could not be read (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
  }
  const base = importBase(prefix);
  const { request } = createTransport({ url: options.url, token: options.token, idToken: options.idToken });
  const existing = new Map(
    (await request<Array<{ id: string; secretPath: string }>>(`/api/secrets?prefix=${encodeURIComponent(base)}`)).map((s) => [
      s.secretPath,
      s.id,
    ]),
  );
  const plan = planEnvImport(entries, existing, onConflict);
  if (plan.blocked) {
    throw new ProvenanceError(
      "conflict",
      `Nothing imported: ${plan.clashes.length} secret(s) exist already (${plan.clashes.map((e) => e.secretPath).join(", ")}); use --on-conflict skip or replace.`,
    );
  }
  const counts: EnvImportCounts = { created: 0, replaced: 0, skipped: 0, failed: 0 };
  for (const step of plan.steps) {
    const { secretPath, value } = step.entry;
    try {
      if (step.kind === "create") {
        await request("/api/secrets", { method: "POST", body: { secretPath, value } });
        counts.created++;
      } else if (step.kind === "skip") {
        counts.skipped++;
      } else {
        await request(`/api/secrets/${encodeURIComponent(step.id)}`, { method: "PATCH", body: { value } });
        counts.replaced++;
      }
    } catch (error) {
      counts.failed++;
      const detail = error instanceof ProvenanceError ? `${error.code}: ${error.message}` : String(error);
      say(`${secretPath}: ${detail}\n`);
    }
  }
  say(
    `Imported into ${base}: ${counts.created} created, ${counts.replaced} replaced, ${counts.skipped} skipped, ${counts.failed} failed.\n`,
  );
  return counts.failed > 0 ? 1 : 0;
};

export const COMMANDS: Record<string, Command> = { get, run, export: exportCommand, import: importCommand };

/**
 * run's values, kept in the --fallback-file after every success and read from it, with a notice,
 * when the server cannot be reached (never when it refuses: a revoked token gets nothing).
 */
async function planWithFallback(options: CommandOptions): Promise<Planned> {
  const file = options["fallback-file"];
  const maxAgeMs = parseMaxAge(options["fallback-max-age"] ?? "24h");
  if (options["fallback-max-age"] !== undefined && !file)
    throw new ProvenanceError("bad_usage", "--fallback-max-age needs --fallback-file.");
  const context = fallbackContext(new URL(options.url).origin, requested(options));
  // The copy's key comes from the API token; an exchanged one changes every run and could not open it.
  const token = options.token;
  if (file && !token)
    throw new ProvenanceError(
      "bad_usage",
      "--fallback-file needs an API token (PROVENANCE_TOKEN), not an ID token: its key is derived from the token.",
    );
  try {
    const planned = await plan(options);
    if (file) await saveFallback(file, token!, context, planned);
    return planned;
  } catch (error) {
    if (!file || !serverUnreachable(error)) throw error;
    const reason = (error as ProvenanceError).message;
    const saved = await loadFallback(file, token!, context, maxAgeMs).catch((unusable: ProvenanceError) => {
      throw new ProvenanceError((error as ProvenanceError).code, `${reason} No fallback either: ${unusable.message}.`);
    });
    say(
      `provenance: ${reason} Starting with the last-good copy from ${saved.savedAt.toISOString()} (${describeAge(Date.now() - saved.savedAt.getTime())} old).\n`,
    );
    return saved.planned;
  }
}

/** What was asked for: --prefix, --path and --env. */
function requested(options: CommandOptions): { prefixes: string[]; paths: string[]; names: Record<string, string> } {
  const names: Record<string, string> = {};
  for (const pair of options.env ?? []) {
    const match = /^([^=]+)=(.+)$/.exec(pair);
    if (!match)
      throw new ProvenanceError("bad_usage", `--env takes NAME=path, e.g. --env DATABASE_URL=prod.db.url (got ${JSON.stringify(pair)}).`);
    names[match[1]!] = match[2]!;
  }
  return { prefixes: options.prefix ?? [], paths: options.path ?? [], names };
}

/** The variables to set: --prefix, --path and --env, named by the contract's rule, all or nothing. */
async function plan(options: CommandOptions): Promise<Planned> {
  const { prefixes, paths, names } = requested(options);
  if (prefixes.length + paths.length + Object.keys(names).length === 0) {
    throw new ProvenanceError("bad_usage", "Say what to read: --prefix P, --path P or --env NAME=path (each may repeat).");
  }
  // Checked before any request: a path that gives no usable name is bad usage, not a server error.
  for (const path of paths) envName(path);
  const client = clientFor(options);
  return resolveForEnv(client.getMany, { prefixes, paths, names });
}

function noPositionals(options: CommandOptions, command: string): void {
  if (options.positionals.length > 0) {
    throw new ProvenanceError(
      "bad_usage",
      `${command} takes no bare arguments (got ${options.positionals.length}); use --prefix, --path or --env.`,
    );
  }
}

/** Writes to stdout and waits until it is flushed (a pipe may be slower than the exit). */
function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];
const STOP_GRACE_MS = 10_000;

interface Child {
  /** Resolves with the exit code (128 + the signal's number when a signal ended it). */
  exited: Promise<number>;
  process: ReturnType<typeof spawn> | null;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts cmd (after `before`, e.g. the previous one's stop) with the environment. */
function startChild(program: string, args: string[], env: NodeJS.ProcessEnv, before: Promise<void> = Promise.resolve()): Child {
  const holder: Child = { process: null, exited: Promise.resolve(0), stop: async () => {} };
  holder.exited = before.then(
    () =>
      new Promise<number>((resolve) => {
        const child = spawn(program, args, { stdio: "inherit", env });
        holder.process = child;
        child.once("error", (error: NodeJS.ErrnoException) => {
          say(`provenance: could not start ${program}: ${error.code ?? error.message}\n`);
          resolve(error.code === "ENOENT" ? 127 : 126);
        });
        child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
      }),
  );
  holder.stop = async () => {
    await before;
    const child = holder.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await holder.exited;
      clearTimeout(killer);
    }
  };
  return holder;
}

interface SignalForwarder {
  /** Passes signals to `child` until it exits; answers its exit code. */
  follow(child: Child): Promise<number>;
  stop(): void;
}

function forwardSignals(): SignalForwarder {
  let current: Child | null = null;
  const forward = (signal: NodeJS.Signals) => current?.process?.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  return {
    follow: (child) => {
      current = child;
      return child.exited;
    },
    stop: () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    },
  };
}
