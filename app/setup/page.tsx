import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { setupPending } from "@/lib/setup/setup-code";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await setupPending())) redirect("/login");
  return (
    <AuthCard
      title="Welcome to Provenance"
      subtitle="Create the first admin account. To prove you run this server, enter the one-time setup code from its log."
      footer={
        <>
          Prefer the command line? <code className="font-mono">npx provenance user create --role admin …</code>
        </>
      }
    >
      <SetupForm />
    </AuthCard>
  );
}
