import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { can } from "@/lib/auth/permissions";
import { isValidPrefix } from "@/lib/secrets/secret-path";
import { currentActor } from "../../current-actor";
import { EnvImportForm } from "./env-import-form";

export const metadata: Metadata = { title: "Import a .env file" };
export const dynamic = "force-dynamic";

/** /secrets/import[?prefix=P]: a .env file into P, previewed first; the rules are `provenance import`'s. */
export default async function ImportEnvPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentActor();
  const raw = (await searchParams).prefix;
  const prefix = (Array.isArray(raw) ? raw[0] : raw)?.trim().replace(/\.$/, "") ?? "";
  const back = { href: prefix && isValidPrefix(prefix) ? `/secrets?prefix=${encodeURIComponent(prefix)}` : "/secrets", label: "Secrets" };
  if (!can(actor.role, "importSecrets")) {
    return (
      <>
        <PageHeader title="Import a .env file" back={back} />
        <p className="rounded-xl border border-slate-200 bg-white px-6 py-8 text-center text-sm text-slate-600 shadow-sm">
          Importing secrets needs the editor or admin role; you are a viewer.
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Import a .env file"
        description="Each NAME=value line becomes a stored secret PREFIX.NAME, the name as written, by the same rules as provenance import. You see the paths and sizes first; values are never shown."
        back={back}
      />
      <Panel className="max-w-3xl">
        <EnvImportForm initialPrefix={isValidPrefix(prefix) ? prefix : ""} />
      </Panel>
    </>
  );
}
