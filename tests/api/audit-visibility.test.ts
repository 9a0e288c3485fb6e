import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { leakRecorder } from "./support/leak-recorder";

/**
 * CONTRACT, Trust rules: "The audit log is for admins. Editors and viewers see only their own
 * events. A failed sign-in for an unknown account records a keyed hash of what was typed, never
 * the text." Checked on every page that shows the log: /audit (events and filter choices) and the
 * overview's recent activity.
 */
const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);

async function signedIn(role: "editor" | "viewer"): Promise<{ email: string; browser: Browser }> {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
  const password = `pw-${randomBytes(12).toString("hex")}`;
  await run(
    process.execPath,
    [path.join(ROOT, "bin/provenance.mjs"), "user", "create", "--email", email, "--password", password, "--role", role],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: apiContext().databaseUrl, SECRETS_MASTER_KEY: apiContext().masterKey },
    },
  );
  const browser = new Browser();
  const reply = await browser.signIn(email, password);
  expect(reply.status, reply.text).toBe(200);
  return { email, browser };
}

let editor: { email: string; browser: Browser };
let viewer: { email: string; browser: Browser };
let admin: Browser;
let adminsPath: string;
let editorsPath: string;

beforeAll(async () => {
  [editor, viewer] = await Promise.all([signedIn("editor"), signedIn("viewer")]);
  admin = new Browser();
  expect((await admin.signIn(apiContext().admin.email, apiContext().admin.password)).status).toBe(200);
  // One event by the suite's admin token, one by the editor's own session.
  adminsPath = unique("audit.admins-secret");
  expect((await call("/api/secrets", { method: "POST", body: { secretPath: adminsPath, value: "a" } })).status).toBe(201);
  editorsPath = unique("audit.editors-secret");
  const created = await editor.browser.request("/api/secrets", { method: "POST", json: { secretPath: editorsPath, value: "e" } });
  expect(created.status, created.text).toBe(201);
});

describe("who sees which audit events", () => {
  it("an admin sees everyone's events", async () => {
    const page = await admin.request("/audit");
    expect(page.status).toBe(200);
    for (const text of [adminsPath, editorsPath, "suite admin", editor.email, viewer.email]) expect(page.text).toContain(text);
  });

  it("an editor sees their own events only, in the list and in the filter choices", async () => {
    const page = await editor.browser.request("/audit");
    expect(page.status).toBe(200);
    expect(page.text).toContain(editorsPath);
    expect(page.text).toContain(editor.email);
    for (const text of [adminsPath, "suite admin", apiContext().admin.email, viewer.email]) expect(page.text).not.toContain(text);
    // Filtering for someone else finds nothing of theirs.
    const filtered = await editor.browser.request(`/audit?actor=${encodeURIComponent("suite admin")}`);
    expect(filtered.status).toBe(200);
    expect(filtered.text).not.toContain(adminsPath);
    const byTarget = await editor.browser.request(`/audit?target=${encodeURIComponent(adminsPath)}`);
    expect(byTarget.status).toBe(200);
    expect(byTarget.text).toContain(editor.email); // the page itself, signed in as the editor
    expect(byTarget.text).not.toMatch(new RegExp(`>${adminsPath.replace(/\./g, "\\.")}<`));
  });

  it("a viewer sees their own sign-in, and nobody else's events", async () => {
    const page = await viewer.browser.request("/audit");
    expect(page.status).toBe(200);
    expect(page.text).toContain(viewer.email);
    for (const text of [adminsPath, editorsPath, "suite admin", apiContext().admin.email, editor.email])
      expect(page.text).not.toContain(text);
  });

  it("the overview's recent activity follows the same rule", async () => {
    const forViewer = await viewer.browser.request("/");
    expect(forViewer.status).toBe(200);
    for (const text of [adminsPath, editorsPath, editor.email]) expect(forViewer.text).not.toContain(text);
    const forAdmin = await admin.request("/");
    expect(forAdmin.status).toBe(200);
    expect(forAdmin.text).toContain(editorsPath);
  });
});

describe("a failed sign-in for an unknown account", () => {
  type Row = { target_label: string | null; details: string | null };
  const newestUnknown = async () =>
    (
      await query<Row>(
        "SELECT target_label, details FROM audit_events WHERE action = 'auth.sign_in' AND outcome = 'denied' AND details LIKE '%unknown_account%' ORDER BY at DESC, id DESC LIMIT 1",
      )
    )[0];

  it("records a keyed hash of what was typed, the same for the same text, never the text", async () => {
    // A password typed into the email box.
    const typed = `Hunter2-${randomBytes(6).toString("hex")}`;
    leakRecorder.sensitive("a password typed as an email", "credential", typed);
    const stranger = new Browser();
    expect((await stranger.signIn(typed, "whatever")).status).toBe(401);
    const first = await newestUnknown();
    expect(first?.target_label).toMatch(/^hmac-sha256:[A-Za-z0-9_-]{16,}$/);
    const anywhere = await query(
      "SELECT id FROM audit_events WHERE LOWER(COALESCE(target_label, '')) LIKE $1 OR LOWER(COALESCE(details, '')) LIKE $2 OR LOWER(COALESCE(actor_label, '')) LIKE $3",
      Array(3).fill(`%${typed.toLowerCase()}%`),
    );
    expect(anywhere).toEqual([]);

    expect((await stranger.signIn(typed, "again")).status).toBe(401);
    expect((await newestUnknown())?.target_label).toBe(first?.target_label);
    expect((await stranger.signIn(`${typed}x`, "again")).status).toBe(401);
    expect((await newestUnknown())?.target_label).not.toBe(first?.target_label);
  });

  it("a known account's failure still names the account", async () => {
    const { email } = apiContext().admin;
    expect((await new Browser().signIn(email, `wrong-${randomBytes(6).toString("hex")}`)).status).toBe(401);
    const rows = await query<Row>(
      "SELECT target_label, details FROM audit_events WHERE action = 'auth.sign_in' AND outcome = 'denied' ORDER BY at DESC, id DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({ target_label: email, details: expect.stringContaining("wrong_password") });
  });
});
