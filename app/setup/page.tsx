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
      title="Create the first admin"
      subtitle="Enter the one-time setup code printed in the server log when Provenance started."
    >
      <SetupForm />
    </AuthCard>
  );
}
