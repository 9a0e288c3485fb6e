import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { RoleBadge } from "@/components/role-badge";
import { currentActor } from "../current-actor";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const actor = await currentActor();
  return (
    <>
      <PageHeader title="Your account" description="Who you are signed in as, and your password." />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,28rem)_1fr]">
        <Panel title="Change password" className="self-start">
          <p className="mb-4 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            Signed in as <span className="font-medium break-all text-slate-900">{actor.label}</span> <RoleBadge role={actor.role} />
          </p>
          <p className="mb-4 text-sm text-slate-600">
            Changing your password signs out every other browser where you are signed in; this one stays signed in. API tokens are not
            affected.
          </p>
          <ChangePasswordForm />
        </Panel>
      </div>
    </>
  );
}
