"use server";

import { redirect } from "next/navigation";
import { signOutCurrentSession } from "@/lib/auth/authenticate";

/**
 * The dashboard's Sign out, a form's action (components/sign-out-button.tsx), so it works before
 * the page's scripts have run, and without them. Then this server's /login (relative: whatever
 * NEXTAUTH_URL says).
 */
export async function signOutAction(): Promise<never> {
  await signOutCurrentSession();
  redirect("/login");
}
