import type { Metadata } from "next";
import { AppLink } from "@/components/app-link";
import { buttonClasses } from "@/components/button-styles";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { KeyIcon } from "@/components/icons";
import { LinkButton } from "@/components/link-button";
import { PageHeader } from "@/components/page-header";
import { ProviderBadge } from "@/components/provider-badge";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { listConnectionSummaries } from "@/lib/secret-providers/read-connections";
import { listSecretsPage, type ListSecretsFilter, type SecretPage } from "@/lib/secrets/read-secrets";
import { listSecretFolder, type SecretFolderView } from "@/lib/secrets/secret-folders";
import type { SecretView } from "@/lib/secrets/secret-view";
import { currentActor } from "../current-actor";
import { FolderBar, FolderGrid } from "./secret-folders";
import { SecretFilters } from "./secret-filters";
import { SecretRowActions } from "./secret-row-actions";

export const metadata: Metadata = { title: "Secrets" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

/** Rows per page: enough to scan, few enough that the page answers at once with thousands of secrets. */
const PAGE_SIZE = 50;

export default async function SecretsPage({ searchParams }: { searchParams: Search }) {
  const actor = await currentActor();
  const params = await searchParams;
  const filter = { prefix: one(params.prefix), provider: one(params.provider), secretProviderId: one(params.secretProviderId) };
  const filtered = Boolean(filter.prefix || filter.provider || filter.secretProviderId);
  const asked = one(params.view);
  const view: SecretsView = asked === "list" || asked === "folders" ? asked : defaultView(filter);
  const canEdit = can(actor.role, "createSecret");
  const canImport = can(actor.role, "importSecrets");
  const canReadValues = can(actor.role, "resolveSecret");
  const position = { cursor: one(params.cursor) || null, before: one(params.before) || null };

  const [connections, listed] = await Promise.all([listConnectionSummaries(), readPage(actor, filter, view, position)]);
  const names = new Map(connections.map((c) => [c.id, c.name]));
  const { page, folder, filterError, pageLinkError } = listed;
  const secrets = page.secrets;
  const paged = Boolean(position.cursor || position.before);
  const href = (at: { cursor?: string; before?: string }) => secretsHref(filter, view, at);
  const nothing = secrets.length === 0 && (folder?.folders.length ?? 0) === 0;

  return (
    <>
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
          filter.secretProviderId ? { id: filter.secretProviderId, name: names.get(filter.secretProviderId) ?? "unknown connection" } : null
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
          names={names}
          canReadValues={canReadValues}
          pages={{
            previous: page.previousCursor ? href({ before: page.previousCursor }) : null,
            next: page.nextCursor ? href({ cursor: page.nextCursor }) : null,
          }}
        />
      ) : null}
    </>
  );
}

type SecretsView = "folders" | "list";

/**
 * Folders (the next path segment under the prefix), unless the list is narrowed to one source:
 * "the secrets using this connection" (where a connection's delete dialog leads) reads best as one
 * list, wherever in the tree they sit.
 */
function defaultView(filter: ListSecretsFilter): SecretsView {
  return filter.provider || filter.secretProviderId ? "list" : "folders";
}

/**
 * One page of the list (or of the folder's own secrets). A bad filter shows under the filters
 * with nothing listed; a page link that is damaged (or from another version) falls back to the
 * first page with a notice.
 */
async function readPage(
  actor: Actor,
  filter: ListSecretsFilter,
  view: SecretsView,
  position: { cursor: string | null; before: string | null },
) {
  const empty: SecretPage = { secrets: [], nextCursor: null, previousCursor: null };
  const read = async (at: {
    cursor?: string | null;
    before?: string | null;
  }): Promise<{ page: SecretPage; folder: SecretFolderView | null }> => {
    if (view === "list") return { page: await listSecretsPage({ actor, filter, page: { limit: PAGE_SIZE, ...at } }), folder: null };
    const folder = await listSecretFolder({ actor, filter, page: { limit: PAGE_SIZE, ...at } });
    return { page: folder.page, folder };
  };
  try {
    return { ...(await read(position)), filterError: null, pageLinkError: false };
  } catch (error) {
    if (!isAppError(error) || error.code !== "validation_error") throw error;
    const fields = (error.extra.fields ?? {}) as Record<string, string>;
    const filterProblem = fields.prefix ?? fields.provider ?? fields.secretProviderId;
    if (filterProblem || !(fields.cursor || fields.before))
      return { page: empty, folder: null, filterError: filterProblem ?? error.message, pageLinkError: false };
    return { ...(await read({})), filterError: null, pageLinkError: true };
  }
}

/** A bookmarkable address of a page: the filters, and at most one of cursor (after) or before. */
function secretsHref(filter: ListSecretsFilter, view: SecretsView, position: { cursor?: string; before?: string }): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...(view !== defaultView(filter) ? { view } : {}), ...position }))
    if (value) query.set(key, value);
  const text = query.toString();
  return text ? `/secrets?${text}` : "/secrets";
}

function SecretTable({
  secrets,
  names,
  canReadValues,
  pages,
}: {
  secrets: SecretView[];
  names: Map<string, string>;
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
            const connection = secret.secretProviderId ? (names.get(secret.secretProviderId) ?? null) : null;
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
                  <SecretRowActions secretPath={secret.secretPath} canReadValue={canReadValues} />
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
