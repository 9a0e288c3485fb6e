import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRecorder, registerRequestSecrets, type Recorder } from "../support/leak-scan/record";
import { findLeaks, readArtefacts } from "../support/leak-scan/scan";

/**
 * The leak scanner itself (scripts/leak-scan.ts runs it over a whole test run): planted leaks in
 * a scratch artefact directory are found, and the answers allowed to carry a value are not.
 */
const storedValue = "value-8c1f0e7b4a9d2e63";
const vaultToken = "hvs.planted-credential-0123456789";
const masterKey = "Jd8c0Xk2pQ7rT4vW9yB1nM6sL3hF5gA0eZ8uK2iO7qR";
const token = `pvn_${"Tq3".repeat(14)}x`;
const dashboardToken = `pvn_${"Zr8".repeat(14)}y`;

let dir: string;
let recorder: Recorder;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "leak-scan-"));
  recorder = createRecorder("integration", dir);
  registerRequestSecrets(recorder, "POST", "/api/secrets", { secretPath: "planted.value", value: storedValue });
  registerRequestSecrets(recorder, "PUT", "/api/secret-providers/abc", { config: { token: vaultToken, namespace: "team-a" } });
  recorder.sensitive("SECRETS_MASTER_KEY", "masterKey", masterKey);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const answer = (
  method: string,
  url: string,
  body: string,
  extra: { status?: number; headers?: Record<string, string>; serverAction?: boolean } = {},
) =>
  recorder.response({
    kind: "response",
    method,
    url,
    status: extra.status ?? 200,
    headers: extra.headers ?? {},
    body,
    serverAction: extra.serverAction,
  });
const leaks = () => findLeaks(readArtefacts(dir)).map((f) => `${f.kind} ${f.where.replace(/ \(.*$/, "")}`);

describe("the leak scanner", () => {
  it("finds nothing in clean answers, resolve answers, the reveal answer and a token's creation answer", () => {
    answer("GET", "/api/secrets", JSON.stringify([{ secretPath: "planted.value" }]));
    answer("GET", `/api/secrets/resolve?path=planted.value`, JSON.stringify({ value: storedValue }));
    answer("POST", "/secrets/abc", `0:{"value":"${storedValue}","stale":false,"fetchedAt":"2026-01-01T00:00:00Z"}`, { serverAction: true });
    const created = answer("POST", "/api/tokens", JSON.stringify({ token }), { status: 201 });
    recorder.sensitive("token", "token", token, [created]);
    answer("POST", "/settings/tokens", `0:{"token":"${dashboardToken}"}`, { serverAction: true });
    expect(leaks()).toEqual([]);
  });

  it("finds planted leaks in bodies, headers, rendered pages and server logs (positive control)", () => {
    answer("GET", "/api/secrets/abc", JSON.stringify({ error: { message: `bad ${storedValue}` } }), { status: 400 });
    answer("GET", "/api/secret-providers/abc", "{}", { headers: { "x-debug": vaultToken } });
    recorder.response({ kind: "page", method: "GET", url: "/settings", status: 200, headers: {}, body: `<html>${masterKey}</html>` });
    const created = answer("POST", "/api/tokens", JSON.stringify({ token }), { status: 201 });
    recorder.sensitive("token", "token", token, [created]);
    answer("GET", "/api/tokens", JSON.stringify([{ token }]));
    answer("POST", "/settings/tokens", `0:{"token":"${dashboardToken}"}`, { serverAction: true });
    recorder.response({ kind: "page", method: "GET", url: "/settings/tokens", status: 200, headers: {}, body: `<p>${dashboardToken}</p>` });
    // A value in a reveal-looking answer that is not a server action is still a leak.
    answer("POST", "/secrets/abc", `{"value":"${storedValue}","stale":false,"fetchedAt":"x"}`);
    const log = path.join(dir, "server.log");
    writeFileSync(log, `{"message":"request","note":"${storedValue}"}\n{"token":"${token}"}\n`);
    recorder.logFile(log);

    expect(leaks().sort()).toEqual(
      [
        "value integration GET /api/secrets/abc → 400",
        "credential integration GET /api/secret-providers/abc → 200",
        "masterKey integration rendered page /settings",
        "token integration GET /api/tokens → 200",
        "token integration rendered page /settings/tokens",
        "value integration POST /secrets/abc → 200",
        "value integration server log " + log,
        "token integration server log " + log,
      ].sort(),
    );
    // Reported redacted: never the whole value.
    for (const finding of findLeaks(readArtefacts(dir))) expect(`${finding.redacted} ${finding.where}`).not.toContain(storedValue);
  });

  it("ignores strings too short or repetitive to tell apart from ordinary text", () => {
    registerRequestSecrets(recorder, "POST", "/api/secrets", { secretPath: "x.y", value: "v" });
    registerRequestSecrets(recorder, "POST", "/api/secrets", { secretPath: "x.z", value: "••••••••••••" });
    answer("GET", "/api/secrets", `{"a":"v","mask":"••••••••••••"}`);
    expect(leaks()).toEqual([]);
  });
});
