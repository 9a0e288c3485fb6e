import "server-only";
import { cache } from "react";
import { requireUser } from "@/lib/auth/page-auth";

/**
 * The signed-in user for this request, or a redirect to /login. Cached per request so the layout
 * and the page (which Next renders independently, and which must each check) read it once.
 */
export const currentActor = cache(requireUser);
