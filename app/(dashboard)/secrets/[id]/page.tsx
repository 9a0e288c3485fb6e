import type { Metadata } from "next";
import { AppLink } from "@/components/app-link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format-time";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { ProviderBadge } from "@/components/provider-badge";
import { UsageSnippets } from "@/components/usage-snippets";
import { can } from "@/lib/auth/permissions";
import { pageOrigin } from "@/lib/auth/page-origin";
import { isAppError } from "@/lib/errors";
import { listConnectionSummaries } from "@/lib/secret-providers/read-connections";
import { getSecret } from "@/lib/secrets/read-secrets";
import type { SecretView } from "@/lib/secrets/secret-view";
import { secretSnippets } from "@/lib/usage-snippets";
import { currentActor } from "../../current-actor";
import { DeleteSecretButton } from "../delete-secret-button";
import { RevealValue } from "../reveal-value";
import { providerOptions } from "../provider-options";
import { SecretForm } from "../secret-form";
import { VersionsPanel } from "../versions-panel";

export const metadata: Metadata = { title: "Secret" };
export const dynamic = "force-dynamic";

export default async function SecretPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  const { id } = await params;
  let secret: SecretView;
  try {
    secret = await getSecret({ actor, id });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
  const canEdit = can(actor.role, "updateSecret");
  const connections = await listConnectionSummaries();
  const publicUrl = await pageOrigin();
  const connection = connections.find((c) => c.id === secret.secretProviderId) ?? null;
  const external = secret.provider !== "provenance";

  return (
    <>
      <PageHeader
        title={<span className="font-mono text-xl sm:text-2xl">{secret.secretPath}</span>}
        description={secret.description ?? undefined}
        back={{ href: "/secrets", label: "Secrets" }}
        actions={<ProviderBadge type={secret.provider} detail={connection?.name} />}
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-6">
          <Panel
            title="Value"
            description={canEdit ? "Revealing reads the value like a program would, and is recorded in the audit log." : undefined}
          >
            {canEdit ? (
              <RevealValue secretPath={secret.secretPath} />
            ) : (
              <p className="text-sm text-slate-600" data-testid="value-hidden-for-viewer">
                Viewers see metadata only, never values. An editor or admin can reveal it.
              </p>
            )}
          </Panel>
          {canEdit ? (
            // Viewers cannot resolve, so they are not shown how to.
            <Panel
              title="Use it from a program"
              description="With an API token whose role is editor or admin and whose scope covers this path."
            >
              <UsageSnippets snippets={secretSnippets(secret.secretPath, publicUrl)} />
            </Panel>
          ) : null}
          {canEdit ? (
            <Panel title="Edit secret">
              <SecretForm
                secret={secret}
                connections={connections}
                providers={providerOptions()}
                canCreateConnections={can(actor.role, "createConnection")}
              />
            </Panel>
          ) : null}
        </div>
        <div className="space-y-6">
          <Panel title="Details">
            <dl className="space-y-3 text-sm">
              <Fact label="Source">
                {external ? (
                  <>
                    {connection ? (
                      <AppLink href={`/settings/secret-providers/${connection.id}`} className="text-brand-700 hover:underline">
                        {connection.name}
                      </AppLink>
                    ) : (
                      "A deleted connection"
                    )}{" "}
                    <span className="text-slate-500">({secret.provider})</span>
                  </>
                ) : (
                  "Stored in Provenance, encrypted"
                )}
              </Fact>
              {secret.providerPath ? (
                <Fact label="Path in the manager" mono>
                  {secret.providerPath}
                </Fact>
              ) : null}
              {secret.providerConfig.jsonKey ? (
                <Fact label="JSON key" mono>
                  {secret.providerConfig.jsonKey}
                </Fact>
              ) : null}
              {secret.providerConfig.version ? (
                <Fact label="Pinned version" mono>
                  {secret.providerConfig.version}
                </Fact>
              ) : null}
              {secret.providerConfig.cacheTtlSeconds != null ? <Fact label="Cache">{secret.providerConfig.cacheTtlSeconds} s</Fact> : null}
              {secret.providerConfig.refreshSeconds != null ? (
                <Fact label="Upstream check">
                  {secret.providerConfig.refreshSeconds === 0 ? "off" : `every ${secret.providerConfig.refreshSeconds} s`}
                </Fact>
              ) : null}
              <Fact label="Revision">{secret.version}</Fact>
              <Fact label="Created">{formatDateTime(secret.createdAt)}</Fact>
              <Fact label="Updated">{formatDateTime(secret.updatedAt)}</Fact>
            </dl>
          </Panel>
          <VersionsPanel actor={actor} secretId={secret.id} />
          {canEdit ? (
            <Panel title="Delete secret" tone="danger">
              <DeleteSecretButton id={secret.id} secretPath={secret.secretPath} external={external} />
            </Panel>
          ) : null}
        </div>
      </div>
    </>
  );
}

function Fact({ label, children, mono = false }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className={`mt-0.5 break-all text-slate-900 ${mono ? "font-mono text-[13px]" : ""}`}>{children}</dd>
    </div>
  );
}
