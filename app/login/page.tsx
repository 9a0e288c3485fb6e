import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { currentUser } from "@/lib/auth/page-auth";
import { setupPending } from "@/lib/setup/setup-code";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await setupPending()) redirect("/setup");
  if (await currentUser()) redirect("/");
  const { setup } = await searchParams;
  const firstRun = setup === "done";
  return (
    <AuthCard
      title="Sign in"
      subtitle={
        firstRun ? "Use the email and password you just chose for the admin account." : "Use the email and password your admin gave you."
      }
      footer="Programs don't sign in here: they use an API token."
    >
      <LoginForm notice={firstRun ? "Your admin account is ready. Sign in with it to continue." : null} />
    </AuthCard>
  );
}
