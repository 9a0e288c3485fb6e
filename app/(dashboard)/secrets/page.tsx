import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { KeyIcon } from "@/components/icons";
import { LinkButton } from "@/components/link-button";
import { PageHeader } from "@/components/page-header";
import { ProviderBadge } from "@/components/provider-badge";
import { roleAtLeast } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";
import { listConnections } from "@/lib/secret-providers/read-connections";
import { listSecrets } from "@/lib/secrets/read-secrets";
import type { SecretView } from "@/lib/secrets/secret-view";
import { currentActor } from "../current-actor";
import { SecretFilters } from "./secret-filters";

export const metadata: Metadata = { title: "Secrets" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

export default async function SecretsPage({ searchParams }: { searchParams: Search }) {
  const actor = await currentActor();
  const params = await searchParams;
  const filter = { prefix: one(params.prefix), provider: one(params.provider), secretProviderId: one(params.secretProviderId) };
  const filtered = Boolean(filter.prefix || filter.provider || filter.secretProviderId);
  const canEdit = roleAtLeast(actor.role, "editor");

  const connections = await listConnections();
  const names = new Map(connections.map((c) => [c.id, c.name]));
  let secrets: SecretView[] = [];
  let filterError: string | null = null;
  try {
    secrets = await listSecrets({ actor, filter });
  } catch (error) {
    if (!isAppError(error) || error.code !== "validation_error") throw error;
    filterError = Object.values((error.extra.fields ?? {}) as Record<string, string>)[0] ?? error.message;
  }

  return (
    <>
      <PageHeader
        title="Secrets"
        description="Everything programs can fetch by path: values stored (encrypted) in Provenance, and references to values in your external managers."
        actions={canEdit ? <LinkButton href="/secrets/new"><span aria-hidden="true">+</span> New secret</LinkButton> : null}
      />
      <SecretFilters
        prefix={filter.prefix}
        provider={filter.provider}
        connection={filter.secretProviderId ? { id: filter.secretProviderId, name: names.get(filter.secretProviderId) ?? "unknown connection" } : null}
        error={filterError}
      />
      {secrets.length === 0 ? (
        filtered ? (
          <EmptyState title="No secrets match these filters" action={<LinkButton href="/secrets" variant="secondary">Clear filters</LinkButton>}>
            Try a shorter path prefix, or another provider.
          </EmptyState>
        ) : (
          <EmptyState
            icon={<KeyIcon />}
            title="No secrets yet"
            action={canEdit ? <LinkButton href="/secrets/new"><span aria-hidden="true">+</span> New secret</LinkButton> : null}
          >
            A secret is a dotted path such as <code className="font-mono">stripe.apiKey</code> whose value is stored here, encrypted, or fetched
            from AWS, Azure, GCP or Vault. {canEdit ? "Create the first one; programs then fetch it with an API token." : "An editor or admin can create them."}
          </EmptyState>
        )
      ) : (
        <SecretTable secrets={secrets} names={names} />
      )}
    </>
  );
}

function SecretTable({ secrets, names }: { secrets: SecretView[]; names: Map<string, string> }) {
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <p className="border-b border-slate-100 px-4 py-2.5 text-xs text-slate-500" aria-live="polite">
        {secrets.length} secret{secrets.length === 1 ? "" : "s"}
      </p>
      <table className="w-full table-fixed text-left text-sm">
        <caption className="sr-only">Secrets</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3 sm:w-[45%] lg:w-[34%]">Path</th>
            <th scope="col" className="hidden px-4 py-3 sm:table-cell lg:w-[30%]">Source</th>
            <th scope="col" className="hidden px-4 py-3 lg:table-cell">Description</th>
            <th scope="col" className="hidden w-32 px-4 py-3 md:table-cell">Updated</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {secrets.map((secret) => {
            const connection = secret.secretProviderId ? (names.get(secret.secretProviderId) ?? null) : null;
            return (
              <tr key={secret.id} className="hover:bg-slate-50/60">
                <td className="px-4 py-3">
                  <Link href={`/secrets/${secret.id}`} className="font-mono text-[13px] font-medium break-all text-slate-900 hover:text-brand-700 hover:underline">
                    {secret.secretPath}
                  </Link>
                  <div className="mt-1 sm:hidden">
                    <ProviderBadge type={secret.provider} detail={connection} />
                  </div>
                </td>
                <td className="hidden px-4 py-3 sm:table-cell">
                  <ProviderBadge type={secret.provider} />
                  {connection || secret.providerPath ? (
                    <p className="mt-1 truncate text-xs text-slate-500" title={[connection, secret.providerPath].filter(Boolean).join(" · ")}>
                      {connection}
                      {connection && secret.providerPath ? " · " : ""}
                      {secret.providerPath ? <span className="font-mono">{secret.providerPath}</span> : null}
                    </p>
                  ) : null}
                </td>
                <td className="hidden px-4 py-3 text-slate-600 lg:table-cell">
                  <span className="line-clamp-2">{secret.description ?? <span className="text-slate-400">—</span>}</span>
                </td>
                <td className="hidden px-4 py-3 text-slate-500 md:table-cell">
                  <time dateTime={secret.updatedAt} title={formatDateTime(secret.updatedAt)}>
                    {timeAgo(secret.updatedAt)}
                  </time>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
