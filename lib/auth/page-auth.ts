import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sourceIp } from "@/lib/api/source-ip";
import type { Actor } from "./actor";
import { sessionActor } from "./authenticate";

/** The signed-in user for a page or server action, or a redirect to the sign-in page. */
export async function requireUser(): Promise<Actor> {
  const actor = await sessionActor(sourceIp(await headers()));
  if (!actor) redirect("/login");
  return actor;
}

export async function currentUser(): Promise<Actor | null> {
  return sessionActor(sourceIp(await headers()));
}
