import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { currentUser } from "@/lib/auth/page-auth";
import { setupPending } from "@/lib/setup/setup-code";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await setupPending()) redirect("/setup");
  if (await currentUser()) redirect("/");
  return (
    <AuthCard title="Sign in" subtitle="Use the email and password your admin gave you.">
      <LoginForm />
    </AuthCard>
  );
}
