import { headers } from "next/headers";
import { requestOrigin } from "./request-origin";

/**
 * requestOrigin of the page being rendered (server components only): the server's URL as the
 * person reading the page reached it, which is what usage snippets tell programs to call.
 */
export async function pageOrigin(): Promise<string> {
  return requestOrigin(await headers());
}
