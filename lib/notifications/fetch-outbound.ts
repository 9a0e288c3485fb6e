import http from "node:http";
import https from "node:https";
import { env } from "@/lib/env";
import { checkProviderUrl } from "@/lib/providers/url-rules";
import { guardedAgent } from "@/lib/providers/upstream/guarded-lookup";
import { declaredLength, readCapped } from "@/lib/providers/upstream/reply-size";

/**
 * One GET a notification makes the server send (the SNS signing certificate, the SNS subscription
 * confirmation), under the same outbound rules as provider URLs: https only (http only with
 * PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS=true), never a metadata address (checked again after
 * DNS by the guarded agent), no redirects followed, within the provider timeout, at most 64 KiB.
 * Throws an Error whose message says what went wrong, never with the URL's query (it may hold a token).
 */
const MAX_BYTES = 64 * 1024;

const agents: Record<"http:" | "https:", http.Agent | undefined> = { "http:": undefined, "https:": undefined };

export async function fetchOutbound(url: string, what: string): Promise<Buffer> {
  const problem = checkProviderUrl(url, { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS }, true);
  if (problem) throw new Error(`the ${what} URL is refused: ${problem}`);
  const target = new URL(url);
  const protocol = target.protocol as "http:" | "https:";
  const agent = (agents[protocol] ??= guardedAgent(protocol));
  const timeoutMs = env().PROVENANCE_PROVIDER_TIMEOUT_MS;
  return new Promise<Buffer>((resolve, reject) => {
    const request = (protocol === "https:" ? https : http).get(target, { agent }, (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        response.resume();
        return reject(new Error(`the ${what} answered HTTP ${status}`));
      }
      readCapped(response, declaredLength(response.headers["content-length"]), MAX_BYTES).then(
        (bytes) => (bytes === null ? reject(new Error(`the ${what} is larger than ${MAX_BYTES / 1024} KiB`)) : resolve(bytes)),
        () => reject(new Error(`the ${what} could not be read completely`)),
      );
    });
    // One deadline for the whole reply: a server that drips bytes never resets it.
    const deadline = setTimeout(() => request.destroy(new Error(`the ${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
    request.on("close", () => clearTimeout(deadline));
    request.on("error", (error) =>
      reject(error.message.startsWith("the ") ? error : new Error(`the ${what} could not be reached (${errorCode(error)})`)),
    );
  });
}

function errorCode(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : "network error";
}
