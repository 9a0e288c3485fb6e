import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { can } from "@/lib/auth/permissions";
import { listProviderTypes } from "@/lib/providers/provider-types";
import { currentActor } from "../../../current-actor";
import { AdminOnly } from "../../admin-only";
import { ConnectionForm } from "../connection-form";

export const metadata: Metadata = { title: "New connection" };
export const dynamic = "force-dynamic";

export default async function NewConnectionPage() {
  const actor = await currentActor();
  const back = { href: "/settings/secret-providers", label: "Secret providers" };
  if (!can(actor.role, "createConnection")) {
    return (
      <>
        <PageHeader title="New connection" back={back} />
        <AdminOnly what="Creating provider connections" role={actor.role} />
      </>
    );
  }
  const types = listProviderTypes().map(({ type, name, description, sdk }) => ({ type, name, description, sdk }));
  return (
    <>
      <PageHeader
        title="New connection"
        description="Connect a secrets manager once; secrets can then be fetched from it by path."
        back={back}
      />
      <Panel className="max-w-3xl">
        <ConnectionForm types={types} />
      </Panel>
    </>
  );
}
