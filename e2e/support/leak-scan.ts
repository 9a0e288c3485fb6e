import Database from "better-sqlite3";
import type { APIRequestContext, APIResponse, BrowserContext, Page } from "@playwright/test";
import { createKeyring, decrypt } from "@/lib/crypto";
import { connectionCredentialsAad, secretValueAad } from "@/lib/keys/aad";
import { createRecorder, headersRecord, registerRequestSecrets, type Recorder } from "../../tests/support/leak-scan/record";

/**
 * The browser suite's part of the run-wide leak scan (tests/support/leak-scan, checked by
 * `npm run test:leaks`): every response a page receives, each page's rendered HTML once a
 * navigation has loaded, every answer the API fixture gets, and, at the end, every value and
 * credential the server stored (whoever typed them in), read back from its database.
 */
let recorder: Recorder | undefined;
export function e2eRecorder(): Recorder {
  recorder ??= createRecorder("e2e");
  return recorder;
}

/** Built assets and media were made before any secret existed; everything else is recorded. */
const SKIPPED = /\/_next\/static\/|\.(png|ico|svg|woff2?|css|js|map)$/;

/**
 * Records what the pages of `context` receive until the returned function (which waits for the
 * last reads) runs. Responses are taken through a route, not the response event: Chromium keeps
 * no body for a streamed answer the page has consumed (React Server Components, server actions).
 */
export async function watchContext(context: BrowserContext, origin: string): Promise<() => Promise<void>> {
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const settled = work.catch(() => undefined); // the page closed or navigated away mid-read
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  };
  const ours = (url: URL) => url.origin === origin && !SKIPPED.test(url.pathname);
  await context.route(ours, async (route) => {
    const request = route.request();
    let response: APIResponse;
    let body: Buffer;
    try {
      response = await route.fetch({ maxRedirects: 0 });
      body = await response.body();
    } catch {
      // The server or the page went away mid-request (a navigation, the end of the test): fail it
      // as the network would, never send it again (a server action must not run twice).
      return route.abort("failed").catch(() => undefined);
    }
    e2eRecorder().response({
      kind: "response",
      method: request.method(),
      url: pathOf(request.url()),
      status: response.status(),
      headers: headersRecord(response.headersArray()),
      body: body.toString("utf8"),
      serverAction: Boolean((await request.allHeaders())["next-action"]),
    });
    await route.fulfill({ response, body }).catch(() => undefined);
  });
  const watchPage = (page: Page) => page.on("load", () => track(recordRenderedPage(page)));
  context.on("page", watchPage);
  context.pages().forEach(watchPage);
  return async () => {
    await context.unrouteAll({ behavior: "ignoreErrors" });
    context.off("page", watchPage);
    while (pending.size > 0) await Promise.all([...pending]);
  };
}

async function recordRenderedPage(page: Page): Promise<void> {
  const html = await page.content();
  e2eRecorder().response({ kind: "page", method: "GET", url: pathOf(page.url()), status: 200, headers: {}, body: html });
}

/** The API fixture's client, recording each answer and the secrets each request sent. */
export function recordingApi(api: APIRequestContext): APIRequestContext {
  const methods = new Set(["get", "post", "put", "patch", "delete", "head", "fetch"]);
  return new Proxy(api, {
    get(target, property, receiver) {
      const original = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== "string" || !methods.has(property) || typeof original !== "function") return original;
      return async (url: string, options?: { method?: string; data?: unknown }) => {
        const response = (await (original as (u: string, o?: unknown) => Promise<APIResponse>).call(target, url, options)) as APIResponse;
        const method = (property === "fetch" ? (options?.method ?? "GET") : property).toUpperCase();
        registerRequestSecrets(e2eRecorder(), method, pathOf(url), options?.data);
        const id = e2eRecorder().response({
          kind: "response",
          method,
          url: pathOf(url),
          status: response.status(),
          headers: headersRecord(response.headersArray()),
          body: await response.text(),
        });
        if (method === "POST" && pathOf(url).startsWith("/api/tokens") && response.status() === 201) {
          e2eRecorder().sensitive(`token created by POST ${pathOf(url)}`, "token", ((await response.json()) as { token?: unknown }).token, [
            id,
          ]);
        }
        return response;
      };
    },
  });
}

function pathOf(url: string): string {
  const parsed = new URL(url, "http://relative");
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * Registers every stored value and connection credential in the server's SQLite database, decrypted
 * with its master key: values typed into the dashboard are covered as well as the API's.
 */
export function registerStoredSecrets(databaseFile: string, masterKey: string): number {
  const keyring = createKeyring({ masterKey });
  const database = new Database(databaseFile, { readonly: true });
  let count = 0;
  try {
    for (const row of database
      .prepare("SELECT id, secret_path AS path, value_ciphertext AS c FROM secrets WHERE value_ciphertext IS NOT NULL")
      .all() as Array<{ id: string; path: string; c: string }>) {
      e2eRecorder().sensitive(`stored value of ${row.path}`, "value", decrypt(keyring, row.c, secretValueAad(row.id)));
      count++;
    }
    for (const row of database
      .prepare("SELECT id, name, credentials AS c FROM secret_providers WHERE credentials IS NOT NULL")
      .all() as Array<{ id: string; name: string; c: string }>) {
      const fields = JSON.parse(decrypt(keyring, row.c, connectionCredentialsAad(row.id))) as Record<string, unknown>;
      for (const [field, value] of Object.entries(fields)) {
        e2eRecorder().sensitive(`${field} of connection ${row.name}`, "credential", value);
        // A service-account JSON also by its private key's lines, as for a request that sends one.
        registerRequestSecrets(e2eRecorder(), "POST", "/api/secret-providers", { config: { [field]: value } });
        count++;
      }
    }
  } finally {
    database.close();
  }
  return count;
}
