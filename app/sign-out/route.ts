import { checkSameOriginWrite } from "@/lib/api/same-origin";
import { otherMethods, publicRoute } from "@/lib/api/route";
import { signOutCurrentSession } from "@/lib/auth/authenticate";

/**
 * The dashboard's Sign out: a plain form posts here (components/sign-out-button.tsx), the same on
 * every page, App Router or not, before its scripts have run and without them. A cross-site form
 * is refused like any cookie-authenticated write, and the session stays. Then this server's
 * /login, relative: whatever host and NEXTAUTH_URL say.
 */
export const POST = publicRoute(async (request) => {
  checkSameOriginWrite(request.headers);
  await signOutCurrentSession();
  return new Response(null, { status: 303, headers: { Location: "/login" } });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
