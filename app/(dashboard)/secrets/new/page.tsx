import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { can } from "@/lib/auth/permissions";
import { listConnectionSummaries } from "@/lib/secret-providers/read-connections";
import { currentActor } from "../../current-actor";
import { providerOptions } from "../provider-options";
import { SecretForm } from "../secret-form";

export const metadata: Metadata = { title: "New secret" };
export const dynamic = "force-dynamic";

export default async function NewSecretPage() {
  const actor = await currentActor();
  const back = { href: "/secrets", label: "Secrets" };
  if (!can(actor.role, "createSecret")) {
    return (
      <>
        <PageHeader title="New secret" back={back} />
        <p className="rounded-xl border border-slate-200 bg-white px-6 py-8 text-center text-sm text-slate-600 shadow-sm">
          Creating secrets needs the editor or admin role; you are a viewer.
        </p>
      </>
    );
  }
  const connections = await listConnectionSummaries();
  return (
    <>
      <PageHeader title="New secret" description="Store a value here, or point at one in an external secrets manager." back={back} />
      <Panel className="max-w-3xl">
        <SecretForm
          secret={null}
          connections={connections}
          providers={providerOptions()}
          canCreateConnections={can(actor.role, "createConnection")}
        />
      </Panel>
    </>
  );
}
