import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { call, cli, type Reply } from "../cluster/support/cluster";
import { startServer, type RunningServer } from "../api/support/server";

/**
 * Shared by the fault tests: a server with an admin token, a hard kill (no SIGTERM, no draining),
 * and the checks every fault answer must pass.
 */
export const newKey = () => randomBytes(32).toString("base64url");

export interface Served {
  server: RunningServer;
  token: string;
}

/** Starts the built app on `env` and makes an admin token for it with the CLI. */
export async function startWithToken(env: Record<string, string>, label: string, token?: string): Promise<Served> {
  const server = await startServer(env, label);
  return { server, token: token ?? (await adminToken(env)) };
}

export async function adminToken(env: Record<string, string>): Promise<string> {
  const { stdout } = await cli(["token", "create", "--name", `faults-${randomBytes(3).toString("hex")}`, "--role", "admin"], env);
  return stdout.trim();
}

/**
 * SIGKILL, as the kernel's OOM killer or a pulled plug would: the server process first (the child
 * of `npm start`), then `npm start` itself. Nothing gets to finish or flush.
 */
export async function killHard(server: RunningServer): Promise<void> {
  const children = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  for (const pid of children) process.kill(pid, "SIGKILL");
  process.kill(server.pid, "SIGKILL");
  await server.stop(); // resolves once `npm start` has exited
}

/** The contract's error shape, naming what happened, with nothing internal in it. */
export function expectFaultAnswer(reply: Reply, status: number, code: string, forbidden: string[]): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(reply.text).not.toMatch(/\bat .+\(.*:\d+:\d+\)|node_modules|Invalid `|prisma/i);
  for (const value of forbidden) expect(reply.text).not.toContain(value);
}

export async function resolveValue(served: Served, secretPath: string): Promise<Reply<{ value: string }>> {
  return call<{ value: string }>(served.server, `/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`, { token: served.token });
}

/** Resolves every path through the batch endpoint (500 a call), failing on any per-path error. */
export async function resolveAll(served: Served, paths: string[]): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (let i = 0; i < paths.length; i += 500) {
    const reply = await call<{ values: Record<string, string>; errors: Record<string, unknown> }>(served.server, "/api/secrets/resolve", {
      method: "POST",
      token: served.token,
      body: { paths: paths.slice(i, i + 500) },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.errors).toEqual({});
    Object.assign(values, reply.body.values);
  }
  return values;
}

/** The message of an error answer. */
export function errorMessage(reply: Reply<unknown>): string {
  return (reply.body as { error?: { message?: string } } | undefined)?.error?.message ?? "";
}
