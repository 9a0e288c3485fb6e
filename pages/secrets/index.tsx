import { AppLink } from "@/components/app-link";
import { buttonClasses } from "@/components/button-styles";
import { DashboardDocument } from "@/components/dashboard-document";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { KeyIcon } from "@/components/icons";
import { LinkButton } from "@/components/link-button";
import { PageHeader } from "@/components/page-header";
import { ProviderBadge } from "@/components/provider-badge";
import { FolderBar, FolderGrid } from "@/components/secrets/secret-folders";
import { SecretFilters } from "@/components/secrets/secret-filters";
import { SecretRowButtons } from "@/components/secrets/secret-row-buttons";
import type { SecretsList } from "@/lib/pages/dashboard-lists";
import { dashboardPageProps } from "@/lib/pages/page-request";
import { secretsHref } from "@/lib/secrets/secrets-list-address";
import type { SecretView } from "@/lib/secrets/secret-view";

/**
 * The secrets: folders by path prefix or one flat list, filters in the URL, pages by cursor. A
 * page without Next's runtime (lib/page-scripts.ts): filters are a GET form and everything else
 * is a link, so it needs no React; public/dashboard.js does the copy buttons, the frame's menu
 * and toasts.
 */
export const config = { unstable_runtimeJS: false };

type Props = SecretsList & { nonce: string | null };

export const getServerSideProps = dashboardPageProps((loaders) => loaders.loadSecretsList);

export default function SecretsPage(props: Props) {
  const { user, filter, view, canEdit, canImport, canReadValues, connectionNames, page, folder, filterError, pageLinkError, paged } = props;
  const filtered = Boolean(filter.prefix || filter.provider || filter.secretProviderId);
  const secrets = page.secrets;
  const href = (at: { cursor?: string; before?: string }) => secretsHref(filter, view, at);
  const nothing = secrets.length === 0 && (folder?.folders.length ?? 0) === 0;

  return (
    <DashboardDocument route="/secrets" title="Secrets" user={user} nonce={props.nonce}>
      <PageHeader
        title="Secrets"
        description="Everything programs can fetch by path: values stored (encrypted) in Provenance, and references to values in your external managers."
        actions={
          <>
            {canImport ? (
              <LinkButton
                href={filter.prefix && !filterError ? `/secrets/import?prefix=${encodeURIComponent(filter.prefix)}` : "/secrets/import"}
                variant="secondary"
              >
                Import .env
              </LinkButton>
            ) : null}
            {canEdit ? (
              <LinkButton href="/secrets/new">
                <span aria-hidden="true">+</span> New secret
              </LinkButton>
            ) : null}
          </>
        }
      />
      <SecretFilters
        prefix={filter.prefix}
        provider={filter.provider}
        view={view}
        connection={
          filter.secretProviderId
            ? { id: filter.secretProviderId, name: connectionNames[filter.secretProviderId] ?? "unknown connection" }
            : null
        }
        error={filterError}
      />
      {filterError ? null : (
        <FolderBar
          prefix={folder?.prefix ?? filter.prefix.replace(/\.$/, "")}
          view={view}
          href={(prefix, nextView = view) => secretsHref({ ...filter, prefix }, nextView, {})}
          counts={folder ? { here: folder.here, total: folder.total } : null}
        />
      )}
      {pageLinkError ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-200">
          That page link is out of date or damaged; showing the first page.
        </p>
      ) : null}
      {folder && folder.folders.length > 0 ? (
        <FolderGrid folders={folder.folders} href={(prefix) => secretsHref({ ...filter, prefix }, view, {})} />
      ) : null}
      {nothing ? (
        paged ? (
          <EmptyState
            title="No more secrets"
            action={
              <LinkButton href={href({})} variant="secondary">
                Back to the first page
              </LinkButton>
            }
          >
            The list ends before this page (secrets may have been deleted since the link was made).
          </EmptyState>
        ) : filtered ? (
          <EmptyState
            title="No secrets match these filters"
            action={
              <LinkButton href="/secrets" variant="secondary">
                Clear filters
              </LinkButton>
            }
          >
            Try a shorter path prefix, or another provider.
          </EmptyState>
        ) : (
          <EmptyState
            icon={<KeyIcon />}
            title="No secrets yet"
            action={
              canEdit ? (
                <LinkButton href="/secrets/new">
                  <span aria-hidden="true">+</span> New secret
                </LinkButton>
              ) : null
            }
          >
            A secret is a dotted path such as <code className="font-mono">stripe.apiKey</code> whose value is stored here, encrypted, or
            fetched from AWS, Azure, GCP or Vault.{" "}
            {canEdit ? "Create the first one; programs then fetch it with an API token." : "An editor or admin can create them."}
          </EmptyState>
        )
      ) : secrets.length > 0 ? (
        <SecretTable
          secrets={secrets}
          names={connectionNames}
          canReadValues={canReadValues}
          pages={{
            previous: page.previousCursor ? href({ before: page.previousCursor }) : null,
            next: page.nextCursor ? href({ cursor: page.nextCursor }) : null,
          }}
        />
      ) : null}
    </DashboardDocument>
  );
}

function SecretTable({
  secrets,
  names,
  canReadValues,
  pages,
}: {
  secrets: SecretView[];
  names: Record<string, string>;
  canReadValues: boolean;
  pages: { previous: string | null; next: string | null };
}) {
  const paged = Boolean(pages.previous || pages.next);
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <p className="border-b border-slate-100 px-4 py-2.5 text-xs text-slate-500" aria-live="polite">
        {secrets.length} secret{secrets.length === 1 ? "" : "s"}
        {paged ? " on this page" : ""}
      </p>
      <table className="w-full table-fixed text-left text-sm">
        <caption className="sr-only">Secrets</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3 sm:w-[45%] lg:w-[34%]">
              Path
            </th>
            <th scope="col" className="hidden px-4 py-3 sm:table-cell lg:w-[30%]">
              Source
            </th>
            <th scope="col" className="hidden px-4 py-3 lg:table-cell">
              Description
            </th>
            <th scope="col" className="hidden w-32 px-4 py-3 md:table-cell">
              Updated
            </th>
            <th scope="col" className={`px-4 py-3 text-right ${canReadValues ? "w-24" : "w-14"}`}>
              <span className="sr-only">Copy</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {secrets.map((secret) => {
            const connection = secret.secretProviderId ? (names[secret.secretProviderId] ?? null) : null;
            return (
              <tr key={secret.id} className="hover:bg-slate-50/60">
                <td className="px-4 py-3">
                  <AppLink
                    href={`/secrets/${secret.id}`}
                    className="font-mono text-[13px] font-medium break-all text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {secret.secretPath}
                  </AppLink>
                  <div className="mt-1 sm:hidden">
                    <ProviderBadge type={secret.provider} detail={connection} />
                  </div>
                </td>
                <td className="hidden px-4 py-3 sm:table-cell">
                  <ProviderBadge type={secret.provider} />
                  {connection || secret.providerPath ? (
                    <p
                      className="mt-1 truncate text-xs text-slate-500"
                      title={[connection, secret.providerPath].filter(Boolean).join(" · ")}
                    >
                      {connection}
                      {connection && secret.providerPath ? " · " : ""}
                      {secret.providerPath ? <span className="font-mono">{secret.providerPath}</span> : null}
                    </p>
                  ) : null}
                </td>
                <td className="hidden px-4 py-3 text-slate-600 lg:table-cell">
                  <span className="line-clamp-2">{secret.description ?? <span className="text-slate-500">—</span>}</span>
                </td>
                <td className="hidden px-4 py-3 text-slate-500 md:table-cell">
                  <time dateTime={secret.updatedAt} title={formatDateTime(secret.updatedAt)}>
                    {timeAgo(secret.updatedAt)}
                  </time>
                </td>
                <td className="px-2 py-2">
                  <SecretRowButtons secretPath={secret.secretPath} canReadValue={canReadValues} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {paged ? <SecretPagination secrets={secrets} pages={pages} /> : null}
    </div>
  );
}

function SecretPagination({ secrets, pages }: { secrets: SecretView[]; pages: { previous: string | null; next: string | null } }) {
  const first = secrets[0]!.secretPath;
  const last = secrets[secrets.length - 1]!.secretPath;
  return (
    <nav
      aria-label="Pages"
      className="flex flex-col items-center justify-between gap-2 border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm sm:flex-row"
    >
      <p className="min-w-0 truncate text-slate-600" data-testid="secrets-range">
        <span className="font-mono text-[13px]">{first}</span> to <span className="font-mono text-[13px]">{last}</span>
        {pages.next ? null : <span className="text-slate-500"> · end of the list</span>}
      </p>
      <div className="flex shrink-0 gap-2">
        <PageLink href={pages.previous} rel="prev" label="← Previous" />
        <PageLink href={pages.next} rel="next" label="Next →" />
      </div>
    </nav>
  );
}

/** A Previous/Next link, or the same label greyed out where there is no such page. */
function PageLink({ href, rel, label }: { href: string | null; rel: "prev" | "next"; label: string }) {
  return href ? (
    <AppLink href={href} className={buttonClasses("secondary", "sm")} rel={rel}>
      {label}
    </AppLink>
  ) : (
    <span aria-disabled="true" className={buttonClasses("secondary", "sm", "pointer-events-none opacity-50")}>
      {label}
    </span>
  );
}
