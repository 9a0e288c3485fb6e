import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { sourceIp } from "@/lib/api/source-ip";
import { sessionActorOfCookies } from "@/lib/auth/session-cookie";
import { isAppError } from "@/lib/errors";
import { listProviderTypes } from "@/lib/providers/provider-types";
import { listConnections, listConnectionSummaries } from "@/lib/secret-providers/read-connections";
import { testStatus, type TestStatus } from "@/lib/secret-providers/test-freshness";
import { listSecretsPage, type SecretPage } from "@/lib/secrets/read-secrets";
import { listSecretFolder, type SecretFolderView } from "@/lib/secrets/secret-folders";
import { defaultView, type SecretsFilter, type SecretsView } from "@/lib/secrets/secrets-list-address";

/**
 * What the two list pages show (the secrets and the secret providers), read for the signed-in
 * user. The pages are Pages Router pages that ship no framework (pages/secrets,
 * pages/settings/secret-providers); they reach this module through lib/pages/page-data.ts, since
 * the Pages Router may not import server-only code.
 */
export interface PageRequest {
  headers: Headers;
  cookie: (name: string) => string | undefined;
  query: Record<string, string | string[] | undefined>;
}

/** The page's props, or the sign-in page for a request without a live session. */
export type Loaded<Props> = { props: Props } | { signIn: true };

export interface ShellUser {
  label: string;
  role: string;
}

export interface ProvidersList {
  user: ShellUser;
  isAdmin: boolean;
  /** Types with connections whose optional SDK is not installed here. */
  missingSdks: Array<{ type: string; name: string; package: string | null }>;
  connections: Array<{
    id: string;
    name: string;
    type: string;
    description: string | null;
    secretCount: number;
    status: TestStatus;
  }>;
}

export async function loadProvidersList(request: PageRequest): Promise<Loaded<ProvidersList>> {
  const actor = await signedIn(request);
  if (!actor) return { signIn: true };
  const [connections, types] = await Promise.all([listConnections(), Promise.resolve(listProviderTypes())]);
  return plain({
    user: shellUser(actor),
    isAdmin: can(actor.role, "createConnection"),
    missingSdks: types
      .filter((t) => !t.sdk.installed && connections.some((c) => c.type === t.type))
      .map((t) => ({ type: t.type, name: t.name, package: t.sdk.package })),
    connections: connections.map((c) => ({
      id: c.id,
      name: c.name,
      type: c.type,
      description: c.description,
      secretCount: c.secretCount,
      status: testStatus(c),
    })),
  });
}

/** Rows per page: enough to scan, few enough that the page answers at once with thousands of secrets. */
const PAGE_SIZE = 50;

export interface SecretsList {
  user: ShellUser;
  filter: SecretsFilter;
  view: SecretsView;
  canEdit: boolean;
  canImport: boolean;
  canReadValues: boolean;
  /** Every connection's name by id: a row's source, the connection filter's chip. */
  connectionNames: Record<string, string>;
  page: SecretPage;
  folder: SecretFolderView | null;
  /** A bad filter: shown under the filters, with nothing listed. */
  filterError: string | null;
  /** A damaged or outdated page link: the first page is shown, with a notice. */
  pageLinkError: boolean;
  /** The request asked for a page after the first (a cursor or a before). */
  paged: boolean;
}

export async function loadSecretsList(request: PageRequest): Promise<Loaded<SecretsList>> {
  const actor = await signedIn(request);
  if (!actor) return { signIn: true };
  const one = (name: string) => {
    const value = request.query[name];
    return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
  };
  const filter: SecretsFilter = { prefix: one("prefix"), provider: one("provider"), secretProviderId: one("secretProviderId") };
  const asked = one("view");
  const view: SecretsView = asked === "list" || asked === "folders" ? asked : defaultView(filter);
  const position = { cursor: one("cursor") || null, before: one("before") || null };
  const [connections, listed] = await Promise.all([listConnectionSummaries(), readPage(actor, filter, view, position)]);
  return plain({
    user: shellUser(actor),
    filter,
    view,
    canEdit: can(actor.role, "createSecret"),
    canImport: can(actor.role, "importSecrets"),
    canReadValues: can(actor.role, "resolveSecret"),
    connectionNames: Object.fromEntries(connections.map((c) => [c.id, c.name])),
    ...listed,
    paged: Boolean(position.cursor || position.before),
  });
}

/**
 * One page of the list (or of the folder's own secrets). A bad filter shows under the filters
 * with nothing listed; a page link that is damaged (or from another version) falls back to the
 * first page with a notice.
 */
async function readPage(
  actor: Actor,
  filter: SecretsFilter,
  view: SecretsView,
  position: { cursor: string | null; before: string | null },
): Promise<Pick<SecretsList, "page" | "folder" | "filterError" | "pageLinkError">> {
  const read = async (at: { cursor?: string | null; before?: string | null }) => {
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
    if (filterProblem || !(fields.cursor || fields.before)) {
      const empty: SecretPage = { secrets: [], nextCursor: null, previousCursor: null };
      return { page: empty, folder: null, filterError: filterProblem ?? error.message, pageLinkError: false };
    }
    return { ...(await read({})), filterError: null, pageLinkError: true };
  }
}

/** The session's user, re-read on every request like every other page's (lib/auth/page-auth.ts). */
function signedIn(request: PageRequest): Promise<Actor | null> {
  return sessionActorOfCookies(request.cookie, sourceIp(request.headers));
}

function shellUser(actor: Actor): ShellUser {
  return { label: actor.label, role: actor.role };
}

/** Page props travel as JSON: absent rather than undefined members. */
function plain<Props>(props: Props): { props: Props } {
  return { props: JSON.parse(JSON.stringify(props)) as Props };
}
