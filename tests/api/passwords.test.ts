import { beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser";
import { call } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { action, adminSession, newPerson, runCli, signedIn, type Person } from "./support/people";

/**
 * Passwords (issue 10, finding 10): a user changes their own (current password required, every
 * other session ends), an admin resets anyone's (every session ends), and the CLI sets one from
 * the environment, never from an argument. All of them audited, none with the password in it.
 */
const works = async (browser: Browser) => (await browser.request("/api/secrets")).status === 200;

async function cannotSignIn(email: string, password: string) {
  const browser = new Browser();
  await browser.signIn(email, password);
  expect(browser.sessionCookieName(), `${email} signed in with a password that should no longer work`).toBeUndefined();
}

async function auditRows(userId: string, action: string) {
  return query<{ outcome: string; details: string | null; actor_label: string | null }>(
    "SELECT outcome, details, actor_label FROM audit_events WHERE target_id = $1 AND action = $2 ORDER BY at",
    [userId, action],
  );
}

describe("changing one's own password", () => {
  let person: Person;
  beforeAll(async () => {
    person = await newPerson("viewer");
  });

  it("needs the current password; a wrong one changes nothing and is audited as denied", async () => {
    const session = await signedIn(person.email, person.password);
    const result = await action(session, "changePasswordAction", [
      { currentPassword: "not-the-password", newPassword: "brand-new-password-1" },
    ]);
    expect(result.ok).toBe(false);
    expect(Object.keys(result.fields)).toEqual(["currentPassword"]);
    await cannotSignIn(person.email, "brand-new-password-1");
    const [denied] = await auditRows(person.id, "user.password_change");
    expect(denied?.outcome).toBe("denied");
  });

  it("refuses a new password that breaks the length rule, naming the field", async () => {
    const session = await signedIn(person.email, person.password);
    const result = await action(session, "changePasswordAction", [{ currentPassword: person.password, newPassword: "short" }]);
    expect(result.ok).toBe(false);
    expect(Object.keys(result.fields)).toEqual(["newPassword"]);
  });

  it("ends every other session, keeps this one, and the new password is the one that signs in", async () => {
    const here = await signedIn(person.email, person.password);
    const elsewhere = await signedIn(person.email, person.password);
    const newPassword = "a-new-password-for-me";
    const result = await action(here, "changePasswordAction", [{ currentPassword: person.password, newPassword }]);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(await works(here)).toBe(true);
    expect(await works(elsewhere)).toBe(false);
    await cannotSignIn(person.email, person.password);
    await signedIn(person.email, newPassword);
    const rows = await auditRows(person.id, "user.password_change");
    expect(rows.at(-1)).toMatchObject({ outcome: "success", actor_label: person.email });
    expect(JSON.stringify(rows)).not.toContain(newPassword);
    person.password = newPassword;
  });
});

describe("an admin resetting a password", () => {
  it("ends every session of that user; the new password signs in; audited without it", async () => {
    const person = await newPerson("editor");
    const one = await signedIn(person.email, person.password);
    const two = await signedIn(person.email, person.password);
    const newPassword = "reset-by-the-admin-1";
    const result = await action(await adminSession(), "resetPasswordAction", [person.id, { newPassword }]);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(await works(one)).toBe(false);
    expect(await works(two)).toBe(false);
    await cannotSignIn(person.email, person.password);
    await signedIn(person.email, newPassword);
    const [row] = await auditRows(person.id, "user.password_reset");
    expect(row).toMatchObject({ outcome: "success", actor_label: apiContext().admin.email });
    expect(row?.details).not.toContain(newPassword);
  });

  it("is for admins only", async () => {
    const editor = await newPerson("editor");
    const victim = await newPerson("viewer");
    const result = await action(await signedIn(editor.email, editor.password), "resetPasswordAction", [
      victim.id,
      { newPassword: "taken-over-1234" },
    ]);
    expect(result.ok).toBe(false);
    await cannotSignIn(victim.email, "taken-over-1234");
  });
});

describe("provenance user set-password", () => {
  it("takes the password from PROVENANCE_NEW_PASSWORD and ends the user's sessions", async () => {
    const person = await newPerson("viewer");
    const session = await signedIn(person.email, person.password);
    const newPassword = "set-from-the-cli-1";
    const cli = await runCli(["user", "set-password", "--email", person.email], { PROVENANCE_NEW_PASSWORD: newPassword });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout + cli.stderr).not.toContain(newPassword);
    expect(await works(session)).toBe(false);
    await signedIn(person.email, newPassword);
    expect((await auditRows(person.id, "user.password_reset")).at(-1)).toMatchObject({ outcome: "success", actor_label: "cli" });
  }, 60_000);

  it("never from an argument, and says how when there is no password to read", async () => {
    const person = await newPerson("viewer");
    const [flag, none, short, unknown] = await Promise.all([
      runCli(["user", "set-password", "--email", person.email, "--password", "in-argv-12345"]),
      runCli(["user", "set-password", "--email", person.email], { PROVENANCE_NEW_PASSWORD: "" }),
      runCli(["user", "set-password", "--email", person.email], { PROVENANCE_NEW_PASSWORD: "short" }),
      runCli(["user", "set-password", "--email", "nobody@example.test"], { PROVENANCE_NEW_PASSWORD: "long-enough-password" }),
    ]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/PROVENANCE_NEW_PASSWORD/);
    expect(flag.stderr).not.toContain("in-argv-12345");
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/PROVENANCE_NEW_PASSWORD/);
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/at least 8 characters/);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/not found|no such|User/i);
    await signedIn(person.email, person.password); // unchanged by all of the above
  }, 90_000);
});

describe("the token door", () => {
  it("has no password change: tokens are not people", async () => {
    // There is no API route for passwords; a token cannot reach the server actions (they need a session).
    expect(
      (await call("/api/users/me/password", { method: "POST", body: { currentPassword: "x", newPassword: "y".repeat(12) } })).status,
    ).toBe(404);
  });
});
