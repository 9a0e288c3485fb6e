import { sourceIp } from "@/lib/api/source-ip";
import { setupPending } from "@/lib/setup/setup-code";
import { sessionActorOfCookies, type CookieReader } from "./session-cookie";

/**
 * Where a visit to the sign-in page goes instead: first-run setup while it is pending, the
 * dashboard when the visitor is signed in already. Asked by proxy.ts, before the page renders: the
 * page is a Pages Router page (pages/login.tsx), which Next does not let import server-only
 * modules such as the keyring that opens session cookies.
 */
export async function signInPageRedirect(headers: Headers, cookie: CookieReader): Promise<"/setup" | "/" | null> {
  if (await setupPending()) return "/setup";
  if (await sessionActorOfCookies(cookie, sourceIp(headers))) return "/";
  return null;
}
