import type { Metadata } from "next";
import { AppLink } from "@/components/app-link";
import type { ReactNode } from "react";
import { Badge } from "@/components/badge";
import { timeAgo } from "@/components/format-time";
import { CheckCircleIcon, KeyIcon, PlugIcon, TokenIcon, UsersIcon } from "@/components/icons";
import { PageHeader } from "@/components/page-header";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { can } from "@/lib/auth/permissions";
import { overviewCounts } from "@/lib/dashboard/overview-counts";
import { actionLabel, OUTCOMES } from "./audit/action-labels";
import { currentActor } from "./current-actor";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

// The signed-in home: what is here, what needs attention, what happened lately, what to do next.
export default async function OverviewPage() {
  const actor = await currentActor();
  const [counts, recent] = await Promise.all([overviewCounts(), listAuditEvents({ viewer: actor, pageSize: 8 })]);
  const isAdmin = can(actor.role, "createConnection");
  const canEdit = can(actor.role, "createSecret");
  const secretTotal = counts.secrets.stored + counts.secrets.external;

  const steps = [
    {
      done: counts.connections.total > 0,
      text: "Connect an external manager (optional)",
      href: "/settings/secret-providers/new",
      show: isAdmin,
    },
    { done: secretTotal > 0, text: "Create your first secret", href: "/secrets/new", show: canEdit },
    { done: counts.activeTokens > 0, text: "Create an API token for a program", href: "/settings/tokens", show: isAdmin },
  ].filter((s) => s.show);
  const showSetup = steps.some((s) => !s.done);

  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${actor.label}.`} />

      <div className="grid grid-cols-2 gap-3 sm:gap-4 xl:grid-cols-4">
        <Stat href="/secrets" icon={<KeyIcon />} label="Secrets" value={secretTotal}>
          {counts.secrets.stored} stored · {counts.secrets.external} external
        </Stat>
        <Stat href="/settings/secret-providers" icon={<PlugIcon />} label="Provider connections" value={counts.connections.total}>
          {counts.connections.failing > 0 ? (
            <span className="font-medium text-red-700">{counts.connections.failing} failing their last test</span>
          ) : counts.connections.untested > 0 ? (
            `${counts.connections.untested} never tested`
          ) : counts.connections.total > 0 ? (
            "All passed their last test"
          ) : (
            "None yet"
          )}
        </Stat>
        <Stat href="/settings/tokens" icon={<TokenIcon />} label="Active API tokens" value={counts.activeTokens}>
          {isAdmin ? "Managed by admins" : "Admins manage tokens"}
        </Stat>
        <Stat href="/settings/users" icon={<UsersIcon />} label="Active users" value={counts.activeUsers}>
          Admin, editor or viewer
        </Stat>
      </div>

      <div className="mt-8 grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <section aria-labelledby="recent-heading" className="min-w-0 rounded-xl border border-slate-200 bg-white shadow-sm">
          <header className="flex items-center justify-between border-b border-slate-100 px-5 py-4">
            <h2 id="recent-heading" className="text-sm font-semibold text-slate-900">
              Recent activity
            </h2>
            <AppLink href="/audit" className="text-sm font-medium text-brand-700 hover:underline">
              Audit log →
            </AppLink>
          </header>
          {recent.events.length === 0 ? (
            <p className="px-5 py-8 text-center text-sm text-slate-500">Nothing has happened yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {recent.events.map((event) => {
                const outcome = OUTCOMES[event.outcome];
                return (
                  <li key={event.id} className="flex items-start justify-between gap-3 px-5 py-3 text-sm">
                    <div className="min-w-0">
                      <p className="text-slate-900">
                        {actionLabel(event.action, event.outcome)}{" "}
                        {event.target.label ? (
                          <span className="font-mono text-[13px] break-all text-slate-600">{event.target.label}</span>
                        ) : null}
                      </p>
                      <p className="text-xs text-slate-500">
                        {event.actor.label ?? "someone not signed in"} · {timeAgo(event.at)}
                      </p>
                    </div>
                    {outcome && event.outcome !== "success" ? <Badge tone={outcome.tone}>{outcome.label}</Badge> : null}
                  </li>
                );
              })}
            </ul>
          )}
        </section>

        {showSetup ? (
          <section aria-labelledby="setup-heading" className="self-start rounded-xl border border-brand-100 bg-brand-50/60 p-5">
            <h2 id="setup-heading" className="text-sm font-semibold text-slate-900">
              Getting started
            </h2>
            <ol className="mt-3 space-y-2.5 text-sm">
              {steps.map((step) => (
                <li key={step.text} className="flex items-start gap-2">
                  <CheckCircleIcon className={`mt-0.5 size-5 shrink-0 ${step.done ? "text-emerald-600" : "text-slate-300"}`} />
                  {step.done ? (
                    <span className="text-slate-600 line-through">{step.text}</span>
                  ) : (
                    <AppLink href={step.href} className="font-medium text-brand-700 hover:underline">
                      {step.text}
                    </AppLink>
                  )}
                </li>
              ))}
            </ol>
            <p className="mt-4 text-xs leading-relaxed text-slate-600">
              Programs then fetch values with <code className="font-mono">GET /api/secrets/resolve?path=…</code> and their token. The full
              API:{" "}
              <a href="/api/openapi.json" className="text-brand-700 underline">
                OpenAPI
              </a>
              .
            </p>
          </section>
        ) : (
          <section aria-labelledby="api-heading" className="self-start rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 id="api-heading" className="text-sm font-semibold text-slate-900">
              Fetching secrets
            </h2>
            <p className="mt-2 text-sm text-slate-600">
              Programs call <code className="font-mono text-xs">GET /api/secrets/resolve?path=…</code> with an API token. The whole API is
              described at{" "}
              <a href="/api/openapi.json" className="text-brand-700 underline">
                /api/openapi.json
              </a>
              .
            </p>
          </section>
        )}
      </div>
    </>
  );
}

function Stat({
  href,
  icon,
  label,
  value,
  children,
}: {
  href: string;
  icon: ReactNode;
  label: string;
  value: number;
  children: ReactNode;
}) {
  return (
    <AppLink
      href={href}
      className="group hover:border-brand-200 rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition-colors sm:p-5"
    >
      <div className="flex items-center justify-between">
        <p className="text-sm font-medium text-slate-600">{label}</p>
        <span className="hidden text-slate-400 group-hover:text-brand-600 sm:block">{icon}</span>
      </div>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 sm:mt-2 sm:text-3xl">{value}</p>
      <p className="mt-1 text-xs text-slate-500">{children}</p>
    </AppLink>
  );
}
