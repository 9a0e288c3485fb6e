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
          Prefer the command line? {/* Wraps between words, never inside a flag or its value. */}
          <code className="font-mono">
            <span className="whitespace-nowrap">npx provenance</span> <span className="whitespace-nowrap">user create</span>{" "}
            <span className="whitespace-nowrap">--role admin</span> …
          </code>
        </>
      }
    >
      <SetupForm />
    </AuthCard>
  );
}
