import { AppLink } from "@/components/app-link";
import { Badge } from "@/components/badge";
import { DashboardDocument } from "@/components/dashboard-document";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { PlugIcon } from "@/components/icons";
import { LinkButton } from "@/components/link-button";
import { PageHeader } from "@/components/page-header";
import { ProviderBadge } from "@/components/provider-badge";
import type { ProvidersList } from "@/lib/pages/dashboard-lists";
import { dashboardPageProps } from "@/lib/pages/page-request";
import type { TestStatus } from "@/lib/secret-providers/test-freshness";

/**
 * Settings → Secret providers: the connections, their type and their last test. A page without
 * Next's runtime (lib/page-scripts.ts): everything on it is a link, so it needs no React, and
 * public/dashboard.js does the frame's menu and toasts.
 */
export const config = { unstable_runtimeJS: false };

type Props = ProvidersList & { nonce: string | null };

export const getServerSideProps = dashboardPageProps((loaders) => loaders.loadProvidersList);

export default function SecretProvidersPage({ user, isAdmin, missingSdks, connections, nonce }: Props) {
  return (
    <DashboardDocument route="/settings/secret-providers" title="Secret providers" user={user} nonce={nonce}>
      <PageHeader
        title="Secret providers"
        description="Connections to external secrets managers. Configure one once with its credentials; secrets then reference it and are fetched from it at run time."
        actions={
          isAdmin ? (
            <LinkButton href="/settings/secret-providers/new">
              <span aria-hidden="true">+</span> New Connection
            </LinkButton>
          ) : null
        }
      />

      {missingSdks.map((t) => (
        <p key={t.type} className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {t.name} connections cannot be used: the optional package <code className="font-mono">{t.package}</code> is not installed on this
          server.
        </p>
      ))}

      {connections.length === 0 ? (
        <EmptyState
          icon={<PlugIcon />}
          title="No connections yet"
          action={
            isAdmin ? (
              <LinkButton href="/settings/secret-providers/new">
                <span aria-hidden="true">+</span> New Connection
              </LinkButton>
            ) : null
          }
        >
          {isAdmin ? (
            <>
              Connect Provenance to AWS Secrets Manager, Azure Key Vault, GCP Secret Manager or HashiCorp Vault: click{" "}
              <strong>+ New Connection</strong>, pick the provider type and fill in its credentials. They are encrypted before they are
              stored.
            </>
          ) : (
            <>Connections to AWS, Azure, GCP or Vault are added by an admin. Until then, secrets can be stored in Provenance itself.</>
          )}
        </EmptyState>
      ) : (
        <ConnectionTable connections={connections} />
      )}
    </DashboardDocument>
  );
}

function ConnectionTable({ connections }: { connections: ProvidersList["connections"] }) {
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Secret provider connections</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">
              Name
            </th>
            <th scope="col" className="hidden px-4 py-3 md:table-cell">
              Description
            </th>
            <th scope="col" className="hidden px-4 py-3 sm:table-cell">
              Secrets
            </th>
            <th scope="col" className="px-4 py-3">
              Last test
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {connections.map((connection) => (
            <tr key={connection.id} className="align-top hover:bg-slate-50/60">
              <td className="px-4 py-3">
                <AppLink
                  href={`/settings/secret-providers/${connection.id}`}
                  className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                >
                  {connection.name}
                </AppLink>
                <div className="mt-1">
                  <ProviderBadge type={connection.type} />
                </div>
              </td>
              <td className="hidden max-w-xs px-4 py-3 text-slate-600 md:table-cell">
                <span className="line-clamp-2">{connection.description ?? <span className="text-slate-500">—</span>}</span>
              </td>
              <td className="hidden px-4 py-3 sm:table-cell">
                {connection.secretCount > 0 ? (
                  <AppLink href={`/secrets?secretProviderId=${connection.id}`} className="text-brand-700 hover:underline">
                    {connection.secretCount} secret{connection.secretCount === 1 ? "" : "s"}
                  </AppLink>
                ) : (
                  <span className="text-slate-500">None</span>
                )}
              </td>
              <td className="px-4 py-3">
                <LastTest status={connection.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The last test, marked out of date when the connection changed after it (test-freshness.ts). */
function LastTest({ status }: { status: TestStatus }) {
  if (status.kind === "never") return <span className="text-slate-500">Never tested</span>;
  return (
    <div className="space-y-1">
      <Badge tone={status.kind === "passed" ? "success" : "danger"}>{status.kind === "passed" ? "Connected" : "Failed"}</Badge>
      {status.changedSince ? (
        <Badge tone="warning" className="ml-1">
          Changed since
        </Badge>
      ) : null}
      <p className="text-xs text-slate-500">
        <time dateTime={status.at} title={formatDateTime(status.at)}>
          {timeAgo(status.at)}
        </time>
      </p>
      {status.kind === "failed" && status.message ? <p className="line-clamp-2 max-w-xs text-xs text-red-700">{status.message}</p> : null}
    </div>
  );
}
