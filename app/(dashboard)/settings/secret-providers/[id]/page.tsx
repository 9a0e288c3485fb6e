import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/badge";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { ProviderBadge } from "@/components/provider-badge";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { describeField } from "@/lib/providers/definition";
import { listProviderTypes } from "@/lib/providers/provider-types";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import type { ConnectionView } from "@/lib/secret-providers/connection-view";
import { MASK } from "@/lib/secret-providers/mask";
import { getConnection } from "@/lib/secret-providers/read-connections";
import { currentActor } from "../../../current-actor";
import { ConnectionForm } from "../connection-form";
import { DeleteConnectionButton } from "../delete-connection-button";
import { TestConnectionPanel } from "../test-connection-panel";
import { UsagePanel } from "../usage-panel";

export const metadata: Metadata = { title: "Connection" };
export const dynamic = "force-dynamic";

async function load(id: string): Promise<ConnectionView> {
  try {
    return await getConnection(id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  const connection = await load((await params).id);
  const isAdmin = can(actor.role, "updateConnection");
  const canTest = can(actor.role, "testConnection");
  const definition = isProviderType(connection.type) ? providerDefinition(connection.type) : null;
  const types = listProviderTypes().map(({ type, name, description, sdk }) => ({ type, name, description, sdk }));

  return (
    <>
      <PageHeader
        title={connection.name}
        description={connection.description ?? undefined}
        back={{ href: "/settings/secret-providers", label: "Secret providers" }}
        actions={<ProviderBadge type={connection.type} />}
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-6">
          {isAdmin ? (
            <Panel title="Edit connection" description="Stored credentials show as ••••••••; they are kept unless you replace them.">
              <ConnectionForm mode="edit" types={types} mask={MASK} connection={connection} />
            </Panel>
          ) : (
            <Panel title="Configuration" description="Only admins can change connections. Credentials are never shown.">
              <dl className="divide-y divide-slate-100 text-sm">
                {(definition?.fields.map(describeField) ?? []).map((field) => (
                  <div key={field.key} className="grid gap-1 py-2.5 sm:grid-cols-3">
                    <dt className="font-medium text-slate-700">{field.label}</dt>
                    <dd className="font-mono break-all text-slate-900 sm:col-span-2">
                      {connection.config[field.key] ?? <span className="font-sans text-slate-500">Not set</span>}
                    </dd>
                  </div>
                ))}
              </dl>
            </Panel>
          )}
        </div>

        <div className="space-y-6">
          {canTest && definition ? (
            <Panel title="Test connection" description="Checks the address and credentials against the manager itself.">
              <TestConnectionPanel connectionId={connection.id} pathHelp={definition.pathHelp} />
            </Panel>
          ) : null}

          <Panel title="Status">
            <dl className="space-y-3 text-sm">
              <div>
                <dt className="text-slate-500">Last test</dt>
                <dd className="mt-0.5" data-testid="last-test">
                  {connection.lastTest ? (
                    <>
                      <Badge tone={connection.lastTest.ok ? "success" : "danger"}>{connection.lastTest.ok ? "Connected" : "Failed"}</Badge>{" "}
                      <span className="text-slate-600" title={formatDateTime(connection.lastTest.at)}>
                        {timeAgo(connection.lastTest.at)}
                      </span>
                      {connection.lastTest.message ? <p className="mt-1 text-xs text-red-700">{connection.lastTest.message}</p> : null}
                    </>
                  ) : (
                    <span className="text-slate-500">Never tested</span>
                  )}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Used by</dt>
                <dd className="mt-0.5">
                  {connection.secretCount > 0 ? (
                    <Link href={`/secrets?secretProviderId=${connection.id}`} className="font-medium text-brand-700 hover:underline">
                      {connection.secretCount} secret{connection.secretCount === 1 ? "" : "s"}
                    </Link>
                  ) : (
                    <span className="text-slate-600">No secrets yet</span>
                  )}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Created · updated</dt>
                <dd className="mt-0.5 text-slate-700">
                  {formatDateTime(connection.createdAt)} · {timeAgo(connection.updatedAt)}
                </dd>
              </div>
            </dl>
          </Panel>

          <UsagePanel actor={actor} connectionId={connection.id} />

          {isAdmin ? (
            <Panel title="Delete connection" tone="danger" description="Only possible when no secret uses it.">
              <DeleteConnectionButton id={connection.id} name={connection.name} secretCount={connection.secretCount} />
            </Panel>
          ) : null}
        </div>
      </div>
    </>
  );
}
