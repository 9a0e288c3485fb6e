import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";

/**
 * The README's "Where you already are" examples, run as far as this machine allows: the HTTP call
 * External Secrets Operator's webhook provider makes from the documented store, the GitHub Actions
 * step's command, and the Docker entrypoint and env-file export, each taken from the README text
 * itself (so an edit that breaks an example breaks this test) and run against the real server.
 */
const ROOT = path.resolve(__dirname, "../..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");
const EXAMPLE_HOST = "https://secrets.example.com";

/** The code blocks after `<!-- example: name -->`, up to the next heading. */
function example(name: string): string[] {
  const start = README.indexOf(`<!-- example: ${name} -->`);
  expect(start, `README example ${name}`).toBeGreaterThan(-1);
  const rest = README.slice(start);
  const end = rest.search(/\n(\*\*|#)/);
  return [...rest.slice(0, end === -1 ? undefined : end).matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

let tarball: string;
let prefix: string;
const secretValue = "sk_live_readme_example";

beforeAll(async () => {
  // The client package as users get it: built and packed. First, while no connection is open: these
  // calls block the event loop for seconds, and a keep-alive socket the server closes meanwhile
  // would be picked up as if alive by the next request ("other side closed").
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(ROOT, "client")], {
    stdio: "ignore",
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-readme-"));
  const packed = execFileSync("npm", ["pack", path.join(ROOT, "client"), "--pack-destination", dir], { encoding: "utf8", cwd: dir })
    .trim()
    .split("\n")
    .pop()!;
  tarball = path.join(dir, packed);

  prefix = unique("readme").replace(/-/g, "");
  for (const [p, value] of [
    [`stripe.${prefix}`, secretValue],
    [`${prefix}.apiKey`, "key-from-readme"],
    [`${prefix}.dbUrl`, "postgres://db/app"],
  ]) {
    expect((await call("/api/secrets", { method: "POST", body: { secretPath: p, value } })).status).toBe(201);
  }
}, 120_000);

describe("Kubernetes: External Secrets Operator's webhook provider", () => {
  it("the documented store's request, made as ESO makes it, yields the value at its jsonPath", async () => {
    const [yaml] = example("eso");
    const url = /url: "([^"]+)"/.exec(yaml!)![1]!;
    const authorization = /Authorization: "([^"]+)"/.exec(yaml!)![1]!;
    const jsonPath = /jsonPath: "\$\.([A-Za-z]+)"/.exec(yaml!)![1]!;
    expect(yaml).toContain("external-secrets.io/type: webhook");
    // ESO renders the templates: the remote key, and the token from the referenced secret.
    const key = `stripe.${prefix}`;
    const rendered = url.replace(EXAMPLE_HOST, apiContext().baseUrl).replace("{{ .remoteRef.key }}", key);
    const response = await fetch(rendered, {
      headers: { Authorization: authorization.replace("{{ print .auth.token }}", apiContext().tokens.scopedEditor) },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, unknown>)[jsonPath]).toBe(secretValue);
  });
});

describe("GitHub Actions", () => {
  it("the step's command runs the job with the values in its environment", () => {
    const [yaml] = example("github-actions");
    const command = /run: (.+)/.exec(yaml!)![1]!;
    expect(command).toMatch(/ provenance run --prefix ci -- npm test$/);
    // The same command: the vendored tarball is the one just packed, the prefix ours, and the job
    // prints what it got instead of running npm test.
    const args = command
      .replace("./vendor/provenance-client-0.1.0.tgz", tarball)
      .replace("--prefix ci", `--prefix ${prefix}`)
      .replace(/ -- npm test$/, "")
      .split(" ");
    const result = spawnSync(
      args[0]!,
      [...args.slice(1), "--", process.execPath, "-e", "process.stdout.write(process.env.API_KEY + ' ' + process.env.DB_URL)"],
      {
        env: { ...process.env, PROVENANCE_URL: apiContext().baseUrl, PROVENANCE_TOKEN: apiContext().tokens.editor, npm_config_yes: "true" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe("key-from-readme postgres://db/app");
  }, 90_000);
});

describe("Docker", () => {
  it("the entrypoint and the env-file export work as documented", () => {
    const [dockerfile, shell] = example("docker");
    const entrypoint = JSON.parse(/ENTRYPOINT (\[.+\])/.exec(dockerfile!)![1]!) as string[];
    expect(entrypoint.slice(0, 3)).toEqual(["provenance", "run", "--prefix"]);
    const env = {
      ...process.env,
      PROVENANCE_URL: apiContext().baseUrl,
      PROVENANCE_TOKEN: apiContext().tokens.editor,
      npm_config_yes: "true",
    };
    const npx = (args: string[]) => spawnSync("npx", ["--yes", "--package", tarball, ...args], { env, encoding: "utf8", timeout: 60_000 });

    // ENTRYPOINT + CMD, with our prefix and a CMD that shows what it got.
    const run = npx([
      ...entrypoint.slice(0, 3),
      prefix,
      ...entrypoint.slice(4),
      process.execPath,
      "-e",
      "process.stdout.write(process.env.API_KEY)",
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("key-from-readme");

    // export --format docker > app.env: one NAME=value per line, as docker --env-file reads it.
    const exportArgs = /^provenance (export .*--format docker)/
      .exec(shell!.trim())![1]!
      .replace("--prefix app", `--prefix ${prefix}`)
      .split(" ");
    const exported = npx(["provenance", ...exportArgs]);
    expect(exported.status, exported.stderr).toBe(0);
    const envFile = Object.fromEntries(
      exported.stdout
        .trim()
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    expect(envFile).toEqual({ API_KEY: "key-from-readme", DB_URL: "postgres://db/app" });
  }, 120_000);
});
