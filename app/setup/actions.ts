"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sourceIp } from "@/lib/api/source-ip";
import { formStateFromError } from "@/lib/api/form-state";
import type { FormState } from "@/lib/form-state";
import { completeSetup } from "@/lib/setup/setup-code";

export async function createFirstAdmin(_previous: FormState, form: FormData): Promise<FormState> {
  try {
    await completeSetup({
      code: String(form.get("code") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      sourceIp: sourceIp(await headers()),
    });
  } catch (error) {
    return formStateFromError(error);
  }
  redirect("/login?setup=done");
}
