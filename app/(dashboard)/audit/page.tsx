import type { Metadata } from "next";
import { AppLink } from "@/components/app-link";
import { Badge } from "@/components/badge";
import { buttonClasses } from "@/components/button-styles";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { ListIcon } from "@/components/icons";
import { PageHeader } from "@/components/page-header";
import { listAuditFacets } from "@/lib/audit/audit-facets";
import { listAuditEvents, type AuditEventView } from "@/lib/audit/list-audit-events";
import { can } from "@/lib/auth/permissions";
import { currentActor } from "../current-actor";
import { actionLabel, describeDetails, OUTCOMES } from "./action-labels";
import { AuditFilters, type AuditFilterValues } from "./audit-filters";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayStart(day: string, offsetDays = 0): Date | null {
  if (!DAY.test(day)) return null;
  const date = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime())) return null;
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date;
}

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const viewer = await currentActor();
  const params = await searchParams;
  const values: AuditFilterValues = {
    actor: one(params.actor),
    action: one(params.action),
    target: one(params.target),
    outcome: one(params.outcome),
    from: one(params.from),
    to: one(params.to),
  };
  const requestedPage = Number.parseInt(one(params.page) || "1", 10);
  const [result, facets] = await Promise.all([
    listAuditEvents({
      viewer,
      // "To" is inclusive: events up to the end of that day.
      filter: { ...values, from: dayStart(values.from), to: dayStart(values.to, 1) },
      page: Number.isFinite(requestedPage) ? requestedPage : 1,
    }),
    listAuditFacets(viewer),
  ]);
  const filtered = Object.values(values).some(Boolean);
  const first = result.total === 0 ? 0 : (result.page - 1) * result.pageSize + 1;
  const last = Math.min(result.total, result.page * result.pageSize);
  const pageHref = (page: number) => {
    const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v) as Array<[string, string]>);
    if (page > 1) query.set("page", String(page));
    const text = query.toString();
    return text ? `/audit?${text}` : "/audit";
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description={
          can(viewer.role, "readAllAuditEvents")
            ? "Every change, sign-in and secret read, with who did it, from where, and whether it worked. Times are UTC."
            : "Your own sign-ins, changes and secret reads, from where, and whether they worked (the whole log is for admins). Times are UTC."
        }
      />
      <AuditFilters values={values} actions={facets.actions} actors={facets.actors} />
      {result.events.length === 0 ? (
        <EmptyState icon={<ListIcon />} title={filtered ? "No events match these filters" : "Nothing recorded yet"}>
          {filtered ? "Try a wider time range or fewer filters." : "Sign-ins, changes and secret reads appear here as they happen."}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <ol className="divide-y divide-slate-100" aria-label="Audit events, newest first">
            {result.events.map((event) => (
              <AuditRow key={event.id} event={event} />
            ))}
          </ol>
          <nav
            aria-label="Pages"
            className="flex flex-col items-center justify-between gap-2 border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm sm:flex-row"
          >
            <p className="text-slate-600" data-testid="audit-range">
              {first}–{last} of {result.total} · page {result.page} of {result.pageCount}
            </p>
            <div className="flex gap-2">
              {result.page > 1 ? (
                <AppLink href={pageHref(result.page - 1)} className={buttonClasses("secondary", "sm")} rel="prev">
                  ← Newer
                </AppLink>
              ) : null}
              {result.page < result.pageCount ? (
                <AppLink href={pageHref(result.page + 1)} className={buttonClasses("secondary", "sm")} rel="next">
                  Older →
                </AppLink>
              ) : null}
            </div>
          </nav>
        </div>
      )}
    </>
  );
}

function targetHref(event: AuditEventView): string | null {
  if (!event.target.id) return null;
  if (event.target.type === "secret") return `/secrets/${event.target.id}`;
  if (event.target.type === "secret_provider") return `/settings/secret-providers/${event.target.id}`;
  return null;
}

function AuditRow({ event }: { event: AuditEventView }) {
  const outcome = OUTCOMES[event.outcome] ?? { label: event.outcome, tone: "warning" as const };
  const details = describeDetails(event.details);
  const href = targetHref(event);
  const actor = event.actor.label ?? (event.actor.type === "anonymous" ? "Someone (not signed in)" : event.actor.type);
  return (
    <li
      className="grid gap-1 px-4 py-3 text-sm sm:grid-cols-[10rem_minmax(0,1fr)_auto] sm:gap-4"
      data-testid="audit-event"
      data-action={event.action}
    >
      <time dateTime={event.at} className="text-xs text-slate-500 sm:pt-0.5" title={timeAgo(event.at)}>
        {formatDateTime(event.at, true)}
      </time>
      <div className="min-w-0">
        <p className="text-slate-900">
          <span className="font-medium">{actionLabel(event.action, event.outcome)}</span>{" "}
          {event.target.label ? (
            href ? (
              <AppLink href={href} className="font-mono text-[13px] break-all text-brand-700 hover:underline">
                {event.target.label}
              </AppLink>
            ) : (
              <span className="font-mono text-[13px] break-all text-slate-700">{event.target.label}</span>
            )
          ) : null}
        </p>
        <p className="mt-0.5 text-xs break-words text-slate-500">
          by <span className="text-slate-700">{actor}</span>
          {event.actor.type === "token" ? " (API token)" : event.actor.type === "system" ? " (system)" : ""}
          {[...details, ...(event.sourceIp ? [`from ${event.sourceIp}`] : [])].map((part) => ` · ${part}`).join("")}
        </p>
      </div>
      <div className="sm:text-right">
        <Badge tone={outcome.tone}>{outcome.label}</Badge>
      </div>
    </li>
  );
}
