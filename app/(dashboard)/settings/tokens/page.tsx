import type { Metadata } from "next";
import { Badge } from "@/components/badge";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { RoleBadge } from "@/components/role-badge";
import { UsageSnippets } from "@/components/usage-snippets";
import { can } from "@/lib/auth/permissions";
import { pageOrigin } from "@/lib/auth/page-origin";
import { listTokens, type TokenView } from "@/lib/tokens/manage-tokens";
import { tokenRunSnippet } from "@/lib/usage-snippets";
import { currentActor } from "../../current-actor";
import { AdminOnly } from "../admin-only";
import { RevokeTokenButton } from "./revoke-token-button";
import { TokenCreateForm } from "./token-create-form";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const actor = await currentActor();
  const header = (
    <PageHeader
      title="API tokens"
      description="Programs fetch secrets with a bearer token. A token has a role and, optionally, a path scope; it is shown once when created."
    />
  );
  if (!can(actor.role, "listTokens")) {
    return (
      <>
        {header}
        <AdminOnly what="Managing API tokens" role={actor.role} />
      </>
    );
  }
  const tokens = await listTokens();
  const publicUrl = await pageOrigin();
  return (
    <>
      {header}
      {/* On a phone the list comes before the how-to; from xl the how-to sits under the form. */}
      <div className="grid gap-6 xl:grid-cols-[24rem_minmax(0,1fr)] xl:grid-rows-[auto_1fr]">
        <Panel title="Create a token" className="self-start">
          <TokenCreateForm publicUrl={publicUrl} />
        </Panel>
        <section aria-labelledby="tokens-heading" className="min-w-0 xl:row-span-2">
          <h2 id="tokens-heading" className="sr-only">
            Tokens
          </h2>
          {tokens.length === 0 ? (
            <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">
              <p className="font-semibold text-slate-900">No tokens yet</p>
              <p className="mt-1">Create one for each program or pipeline, with the smallest role and scope it needs.</p>
            </div>
          ) : (
            <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
              {tokens.map((token) => (
                <TokenRow key={token.id} token={token} />
              ))}
            </ul>
          )}
        </section>
        <Panel
          title="Use a token"
          className="self-start xl:col-start-1"
          description={
            <>
              Programs take it from the environment. For a token scoped to <code className="font-mono text-[13px]">stripe.*</code> (a new
              token shows its own):
            </>
          }
        >
          <UsageSnippets snippets={[tokenRunSnippet("stripe.*", publicUrl)]} />
        </Panel>
      </div>
    </>
  );
}

function status(token: TokenView): { label: string; tone: "success" | "danger" | "neutral" } {
  if (token.revokedAt) return { label: "Revoked", tone: "danger" };
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now()) return { label: "Expired", tone: "neutral" };
  return { label: "Active", tone: "success" };
}

function TokenRow({ token }: { token: TokenView }) {
  const state = status(token);
  return (
    <li className="flex flex-col gap-3 px-4 py-3.5 sm:flex-row sm:items-center" data-testid="token-row" data-token-name={token.name}>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900">{token.name}</span>
          <RoleBadge role={token.role} />
          <Badge tone={state.tone}>{state.label}</Badge>
        </div>
        <p className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-500">
          <span className="font-mono">{token.tokenPrefix}…</span>
          <span>scope: {token.scope ? <code className="font-mono text-slate-700">{token.scope}</code> : "every secret"}</span>
          <span title={formatDateTime(token.createdAt)}>
            created {timeAgo(token.createdAt)}
            {token.createdBy ? ` by ${token.createdBy}` : ""}
          </span>
          <span>{token.lastUsedAt ? `last used ${timeAgo(token.lastUsedAt)}` : "never used"}</span>
          {token.expiresAt && !token.revokedAt ? <span>expires {timeAgo(token.expiresAt)}</span> : null}
        </p>
      </div>
      {state.label === "Active" ? (
        <div className="self-start sm:self-auto">
          <RevokeTokenButton id={token.id} name={token.name} />
        </div>
      ) : null}
    </li>
  );
}
