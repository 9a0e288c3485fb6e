import type { Metadata } from "next";
import { AppLink } from "@/components/app-link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format-time";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { ProviderBadge } from "@/components/provider-badge";
import { SummaryList, SummaryRow } from "@/components/summary-list";
import { UsageSnippets } from "@/components/usage-snippets";
import { can } from "@/lib/auth/permissions";
import { pageOrigin } from "@/lib/auth/page-origin";
import { isAppError } from "@/lib/errors";
import { listConnectionSummaries } from "@/lib/secret-providers/read-connections";
import { PROVENANCE_PROVIDER } from "@/lib/secrets/provenance-provider";
import { getSecret } from "@/lib/secrets/read-secrets";
import { REFRESH_SECONDS_DEFAULT } from "@/lib/secrets/secret-schemas";
import type { SecretView } from "@/lib/secrets/secret-view";
import { secretSnippets } from "@/lib/usage-snippets";
import { currentActor } from "../../current-actor";
import { DeleteSecretButton } from "../delete-secret-button";
import { RevealValue } from "../reveal-value";
import { providerOptions } from "../provider-options";
import { SecretSettingsPanel } from "../secret-settings-panel";
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
  const external = secret.provider !== PROVENANCE_PROVIDER;
  const providers = providerOptions();
  const providerName = providers.find((p) => p.type === secret.provider)?.name ?? secret.provider;

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
          <SecretSettingsPanel
            secret={secret}
            // Only the form needs these, and viewers get no form.
            connections={canEdit ? connections : []}
            providers={canEdit ? providers : []}
            canEdit={canEdit}
            canCreateConnections={can(actor.role, "createConnection")}
          >
            <SecretSettings secret={secret} connection={connection} providerName={providerName} />
          </SecretSettingsPanel>
          {canEdit ? (
            // Viewers cannot resolve, so they are not shown how to.
            <Panel
              title="Use it from a program"
              description="With an API token whose role is editor or admin and whose scope covers this path."
            >
              <UsageSnippets snippets={secretSnippets(secret.secretPath, publicUrl)} />
            </Panel>
          ) : null}
        </div>
        <div className="space-y-6">
          <Panel title="Details">
            <dl className="space-y-3 text-sm">
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

/**
 * What the secret form would let one change, read-only: the path, where the value lives (for an
 * external secret the connection, the path in the manager, the JSON key, the pinned version and
 * the caching and upstream checks, with the defaults that apply when unset) and the description.
 * Never the value.
 */
function SecretSettings({
  secret,
  connection,
  providerName,
}: {
  secret: SecretView;
  connection: { id: string; name: string } | null;
  providerName: string;
}) {
  const { jsonKey, version, cacheTtlSeconds, refreshSeconds } = secret.providerConfig;
  const refresh = refreshSeconds ?? REFRESH_SECONDS_DEFAULT;
  return (
    <SummaryList testId="secret-settings">
      <SummaryRow label="Secret path" mono>
        {secret.secretPath}
      </SummaryRow>
      {secret.provider === PROVENANCE_PROVIDER ? (
        <SummaryRow label="Source">Stored in Provenance, encrypted</SummaryRow>
      ) : (
        <>
          <SummaryRow label="Connection">
            {connection ? (
              <AppLink href={`/settings/secret-providers/${connection.id}`} className="text-brand-700 hover:underline">
                {connection.name}
              </AppLink>
            ) : (
              "A deleted connection"
            )}{" "}
            <span className="text-slate-600">({providerName})</span>
          </SummaryRow>
          <SummaryRow label={`Path in ${providerName}`} mono>
            {secret.providerPath}
          </SummaryRow>
          <SummaryRow label="JSON key" mono={jsonKey !== undefined}>
            {jsonKey ?? <Unset>None</Unset>}
          </SummaryRow>
          <SummaryRow label="Version" mono={version !== undefined}>
            {version ?? <Unset>The latest</Unset>}
          </SummaryRow>
          <SummaryRow label="Cache for">
            {cacheTtlSeconds !== undefined ? `${cacheTtlSeconds} s` : <Unset>The server default</Unset>}
          </SummaryRow>
          <SummaryRow label="Check upstream">
            {refresh === 0 ? "Never" : `Every ${refresh} s`}
            {refreshSeconds === undefined ? <Unset> (the default)</Unset> : null}
          </SummaryRow>
        </>
      )}
      <SummaryRow label="Description">{secret.description ?? <Unset>None</Unset>}</SummaryRow>
    </SummaryList>
  );
}

/** A setting left unset, shown as what applies then. */
function Unset({ children }: { children: React.ReactNode }) {
  return <span className="text-slate-600">{children}</span>;
}

function Fact({ label, children, mono = false }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className={`mt-0.5 break-all text-slate-900 ${mono ? "font-mono text-[13px]" : ""}`}>{children}</dd>
    </div>
  );
}
