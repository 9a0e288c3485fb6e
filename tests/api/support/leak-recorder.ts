import { createRecorder, headersRecord, registerRequestSecrets } from "../../support/leak-scan/record";
import { apiContext } from "./context";

/**
 * This worker's one recorder for the run-wide leak scan (see tests/support/leak-scan): every
 * response the integration client and the cookie-handling Browser saw, the log file of every
 * server a test started, and the sensitive strings that went in. One recorder per process, so
 * response ids (a token's creation answer is named by id) never collide.
 */
export const leakRecorder = createRecorder("integration");

let suiteSecretsRegistered = false;
let requestsCarrySecrets = true;

/**
 * For a test file whose requests carry generated input (the fuzz suite): its strings are not
 * secrets, and the generators reuse them across fields on purpose (a "value" that is also a token
 * name), so they are not registered. Its responses are still recorded and scanned for every real
 * secret. Module state: it lasts for the one test file that calls it.
 */
export function requestsCarryGeneratedInput(): void {
  requestsCarrySecrets = false;
}

/** What global-setup made (its creation answers were not recorded, so no answer may carry them). */
function registerSuiteSecrets(): void {
  if (suiteSecretsRegistered) return;
  suiteSecretsRegistered = true;
  const { masterKey, admin, tokens, logFiles } = apiContext();
  leakRecorder.sensitive("SECRETS_MASTER_KEY", "masterKey", masterKey);
  leakRecorder.sensitive("the suite admin's password", "credential", admin.password);
  for (const [role, token] of Object.entries(tokens)) leakRecorder.sensitive(`the suite's ${role} token`, "token", token);
  for (const file of logFiles) leakRecorder.logFile(file);
}

/** Records one answer of the suite's servers, with the secrets its request handed over. */
export function recordForLeakScan(
  method: string,
  path: string,
  sent: unknown,
  response: Response,
  text: string,
  requestHeaders: Record<string, string> = {},
): void {
  registerSuiteSecrets();
  let requestBody = sent;
  if (typeof sent === "string") {
    try {
      requestBody = JSON.parse(sent);
    } catch {
      requestBody = undefined;
    }
  }
  if (requestsCarrySecrets) registerRequestSecrets(leakRecorder, method, path, requestBody);
  const serverAction = Object.keys(requestHeaders).some((name) => name.toLowerCase() === "next-action");
  const id = leakRecorder.response({
    kind: "response",
    method,
    url: path,
    status: response.status,
    headers: headersRecord(response.headers),
    body: text,
    serverAction,
  });
  // A token's creation answer is the one place it may appear.
  if (requestsCarrySecrets && method === "POST" && path.startsWith("/api/tokens") && response.status === 201) {
    try {
      leakRecorder.sensitive(`token created by ${method} ${path}`, "token", (JSON.parse(text) as { token?: unknown }).token, [id]);
    } catch {
      // not JSON: nothing was created
    }
  }
}
