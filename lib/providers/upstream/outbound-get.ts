import http from "node:http";
import https from "node:https";
import { env } from "@/lib/env";
import { checkProviderUrl } from "@/lib/providers/url-rules";
import { guardedAgent } from "./guarded-lookup";
import { declaredLength, readCapped } from "./reply-size";

/**
 * One GET the server makes of its own accord to a URL it was told about (an OIDC issuer's
 * discovery document or JWKS, the SNS signing certificate, an SNS subscription confirmation),
 * under the same outbound rules as provider URLs: https only (http only with
 * PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS=true), never a metadata address (checked again after DNS
 * by the guarded agent), no redirects followed, one deadline of the provider timeout for the whole
 * reply, at most `maxBytes`.
 *
 * A failure is an OutboundGetError whose `reason` completes a sentence about the thing fetched
 * ("answered HTTP 404", "did not answer within 5000 ms"), so each caller words and types its own
 * error around it. Never names the URL's query: it may hold a token.
 */
export class OutboundGetError extends Error {
  constructor(
    readonly reason: string,
    readonly timedOut = false,
  ) {
    super(reason);
    this.name = "OutboundGetError";
  }
}

const agents: Record<"http:" | "https:", http.Agent | undefined> = { "http:": undefined, "https:": undefined };

export async function outboundGet(url: string, options: { maxBytes: number; accept?: string }): Promise<Buffer> {
  const problem = checkProviderUrl(url, { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS }, true);
  if (problem) throw new OutboundGetError(`URL is refused: ${problem}`);
  const target = new URL(url);
  const protocol = target.protocol as "http:" | "https:";
  const agent = (agents[protocol] ??= guardedAgent(protocol));
  const timeoutMs = env().PROVENANCE_PROVIDER_TIMEOUT_MS;
  const headers = options.accept ? { accept: options.accept } : undefined;
  return new Promise<Buffer>((resolve, reject) => {
    const request = (protocol === "https:" ? https : http).get(target, { agent, headers }, (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        response.resume();
        return reject(new OutboundGetError(`answered HTTP ${status}`));
      }
      readCapped(response, declaredLength(response.headers["content-length"]), options.maxBytes).then(
        (bytes) => (bytes === null ? reject(new OutboundGetError(`is larger than ${options.maxBytes / 1024} KiB`)) : resolve(bytes)),
        () => reject(new OutboundGetError("could not be read completely")),
      );
    });
    // One deadline for the whole reply: a server that drips bytes never resets it.
    const deadline = setTimeout(() => request.destroy(new OutboundGetError(`did not answer within ${timeoutMs} ms`, true)), timeoutMs);
    request.on("close", () => clearTimeout(deadline));
    request.on("error", (error) =>
      reject(error instanceof OutboundGetError ? error : new OutboundGetError(`could not be reached (${errorCode(error)})`)),
    );
  });
}

function errorCode(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : "network error";
}
