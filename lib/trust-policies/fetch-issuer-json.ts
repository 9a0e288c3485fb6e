import http from "node:http";
import https from "node:https";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { checkProviderUrl } from "@/lib/providers/url-rules";
import { guardedAgent } from "@/lib/providers/upstream/guarded-lookup";
import { declaredLength, readCapped } from "@/lib/providers/upstream/reply-size";

/**
 * One GET of an issuer's discovery document or JWKS: only to an https URL (http only with
 * PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS=true), never to a metadata address (checked again after
 * DNS by the guarded agent), no redirects followed, within the provider timeout, at most 256 KiB.
 * Failures are 502 provider_error naming the issuer and what went wrong: the token may be fine,
 * the server could not check it.
 */
const MAX_DOCUMENT_BYTES = 256 * 1024;

const agents: Record<"http:" | "https:", http.Agent | undefined> = { "http:": undefined, "https:": undefined };

export async function fetchIssuerJson(issuer: string, url: string, what: string): Promise<Record<string, unknown>> {
  const problem = checkProviderUrl(url, { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS }, true);
  if (problem) throw issuerError(issuer, `its ${what} URL is refused: ${problem}`);
  const target = new URL(url);
  const protocol = target.protocol as "http:" | "https:";
  const agent = (agents[protocol] ??= guardedAgent(protocol));
  const timeoutMs = env().PROVENANCE_PROVIDER_TIMEOUT_MS;
  const body = await new Promise<Buffer>((resolve, reject) => {
    const request = (protocol === "https:" ? https : http).get(target, { agent, headers: { accept: "application/json" } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        response.resume();
        return reject(issuerError(issuer, `its ${what} answered HTTP ${status}`));
      }
      readCapped(response, declaredLength(response.headers["content-length"]), MAX_DOCUMENT_BYTES).then(
        (bytes) => {
          if (bytes === null) reject(issuerError(issuer, `its ${what} is larger than ${MAX_DOCUMENT_BYTES / 1024} KiB`));
          else resolve(bytes);
        },
        () => reject(issuerError(issuer, `its ${what} could not be read completely`)),
      );
    });
    // One deadline for the whole reply: a server that drips bytes never resets it.
    const deadline = setTimeout(
      () => request.destroy(new AppError("provider_timeout", `OIDC issuer ${issuer}: its ${what} did not answer within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    request.on("close", () => clearTimeout(deadline));
    request.on("error", (error) =>
      reject(error instanceof AppError ? error : issuerError(issuer, `its ${what} could not be reached (${errorCode(error)})`)),
    );
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw issuerError(issuer, `its ${what} is not JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw issuerError(issuer, `its ${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

function errorCode(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : "network error";
}

export function issuerError(issuer: string, reason: string): AppError {
  return new AppError("provider_error", `OIDC issuer ${issuer}: ${reason}.`);
}
