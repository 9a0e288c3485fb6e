import type { Metadata } from "next";
import { AppLink } from "@/components/app-link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Badge } from "@/components/badge";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { ProviderBadge } from "@/components/provider-badge";
import { SummaryList, SummaryRow } from "@/components/summary-list";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import type { ConnectionView } from "@/lib/secret-providers/connection-view";
import { credentialFacts, type CredentialFact } from "@/lib/secret-providers/credential-facts";
import { MASK } from "@/lib/secret-providers/mask";
import { getConnection } from "@/lib/secret-providers/read-connections";
import { testStatus } from "@/lib/secret-providers/test-freshness";
import { currentActor } from "../../../current-actor";
import { ConnectionConfigPanel } from "../connection-config-panel";
import { ConnectionStatus } from "../connection-status";
import { DeleteConnectionButton } from "../delete-connection-button";
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

/**
 * A connection's page, status first: is it working (the last test, or that it changed since,
 * and the Test button), then what it is set to, with Edit for admins; usage and deletion aside.
 * On a phone the status and the Test button come first, within the first screen.
 */
export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  const connection = await load((await params).id);
  const isAdmin = can(actor.role, "updateConnection");
  const canTest = can(actor.role, "testConnection");
  const definition = isProviderType(connection.type) ? providerDefinition(connection.type) : null;
  const facts = await credentialFacts(connection.id);

  return (
    <>
      <PageHeader
        title={connection.name}
        description={connection.description ?? undefined}
        back={{ href: "/settings/secret-providers", label: "Secret providers" }}
        actions={<ProviderBadge type={connection.type} />}
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <Panel title="Status">
            <p className="mb-4 text-sm text-slate-700" data-testid="connection-type">
              <span className="text-slate-600">Type </span>
              <span className="font-medium text-slate-900">{definition?.name ?? connection.type}</span>{" "}
              <span className="font-mono text-xs text-slate-600">({connection.type})</span>
            </p>
            {definition ? (
              <Suspense>
                {/* Keyed on updatedAt: after a save, a result shown from before is about the old settings and goes. */}
                <ConnectionStatus
                  key={connection.updatedAt}
                  connectionId={connection.id}
                  status={testStatus(connection)}
                  canTest={canTest}
                  pathHelp={definition.pathHelp}
                />
              </Suspense>
            ) : null}
          </Panel>

          <ConnectionConfigPanel connection={connection} mask={MASK} canEdit={isAdmin}>
            <ConfigSummary connection={connection} facts={facts} />
          </ConnectionConfigPanel>
        </div>

        <div className="min-w-0 space-y-6">
          <Panel title="Details">
            <dl className="space-y-3 text-sm">
              <div>
                <dt className="text-slate-600">Used by</dt>
                <dd className="mt-0.5">
                  {connection.secretCount > 0 ? (
                    <AppLink href={`/secrets?secretProviderId=${connection.id}`} className="font-medium text-brand-700 hover:underline">
                      {connection.secretCount} secret{connection.secretCount === 1 ? "" : "s"}
                    </AppLink>
                  ) : (
                    <span className="text-slate-700">No secrets yet</span>
                  )}
                </dd>
              </div>
              <div>
                <dt className="text-slate-600">Created · updated</dt>
                <dd className="mt-0.5 text-slate-700">
                  {formatDateTime(connection.createdAt)} ·{" "}
                  <span title={formatDateTime(connection.updatedAt)}>{timeAgo(connection.updatedAt)}</span>
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

/**
 * The settings that are set: plain values as they are, credentials as "Stored" (never a value),
 * with what the stored credential is where that is no secret (a GCP key's service account).
 */
function ConfigSummary({ connection, facts }: { connection: ConnectionView; facts: CredentialFact[] }) {
  const definition = isProviderType(connection.type) ? providerDefinition(connection.type) : null;
  const fields = definition?.fields ?? [];
  const set = fields.filter((field) => connection.config[field.key] !== undefined);
  const signIn = definition?.signIn?.methods.find((method) => method.value === definition.signIn?.methodOf(connection.config));
  const credentialsSet = fields.some((field) => "sensitive" in field && field.sensitive && connection.config[field.key] !== undefined);
  return (
    <SummaryList testId="config-summary">
      {signIn ? (
        <SummaryRow label="Sign in with" testId="sign-in-method">
          {signIn.label}
        </SummaryRow>
      ) : null}
      {set.map((field) => {
        const sensitive = "sensitive" in field && field.sensitive;
        return (
          <SummaryRow key={field.key} label={field.label}>
            {sensitive ? <Badge tone="neutral">Stored</Badge> : <span className="font-mono">{connection.config[field.key]}</span>}
          </SummaryRow>
        );
      })}
      {facts.map((fact) => (
        <SummaryRow key={fact.label} label={fact.label} mono testId="credential-fact">
          {fact.value}
        </SummaryRow>
      ))}
      {!credentialsSet && connection.type !== "vault" ? (
        <SummaryRow label="Credentials">
          <span className="text-slate-700">None stored: the server&apos;s own identity (default credential chain) is used.</span>
        </SummaryRow>
      ) : null}
      <SummaryRow label="Allowed provider paths" mono>
        {connection.allowedProviderPaths ? (
          connection.allowedProviderPaths.join(", ")
        ) : (
          <span className="font-sans text-slate-700">Any path</span>
        )}
      </SummaryRow>
    </SummaryList>
  );
}
