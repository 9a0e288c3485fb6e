"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentSessionId } from "@/lib/auth/authenticate";
import { SESSION_COOKIES } from "@/lib/auth/session-cookie";
import { endSession } from "@/lib/auth/sessions";

/**
 * The dashboard's Sign out, a form's action (components/sign-out-button.tsx), so it works before
 * the page's scripts have run, and without them. Ends the server-side session, as next-auth's own
 * sign-out does (lib/auth/auth-options.ts), clears the cookie, and opens this server's /login
 * (relative: whatever NEXTAUTH_URL says).
 */
export async function signOutAction(): Promise<never> {
  const id = await currentSessionId();
  if (id) await endSession(id);
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    // A __Secure- cookie is only replaced (here: expired) by one that is Secure too.
    if (jar.has(name)) jar.delete({ name, path: "/", secure: name.startsWith("__Secure-") });
  }
  redirect("/login");
}
