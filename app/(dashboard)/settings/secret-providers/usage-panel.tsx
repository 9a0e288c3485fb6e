import { Panel } from "@/components/panel";
import type { Actor } from "@/lib/auth/actor";
import { connectionUsage } from "@/lib/usage/read-usage";

const CHART_HEIGHT = 48;
/** Viewbox units per day: wide bars keep the chart low in a narrow column. */
const DAY_WIDTH = 24;

/**
 * What the connection cost over the last 7 days (GET /api/secret-providers/:id/usage, the same
 * lib code): calls, errors, throttling and cache answers, and a bar of calls per day. SVG, not
 * inline styles: the Content-Security-Policy allows no style attributes.
 */
export async function UsagePanel({ actor, connectionId }: { actor: Actor; connectionId: string }) {
  const usage = await connectionUsage({ actor, id: connectionId, window: "7d" });
  const month = await connectionUsage({ actor, id: connectionId, window: "30d" });
  const peak = Math.max(1, ...usage.byDay.map((d) => d.calls));
  const facts: Array<[string, string]> = [
    ["Calls", String(usage.calls)],
    ["Errors", String(usage.errors)],
    ["Throttled", String(usage.throttled)],
    ["Cache hits", String(usage.cacheHits)],
    ["Cache misses", String(usage.cacheMisses)],
    ["Estimated cost", usd(usage.estimatedCostUsd)],
  ];
  return (
    <Panel title="Usage, last 7 days" description="Calls this connection made to the manager, at list price. Days are UTC.">
      <dl className="grid grid-cols-2 gap-3 text-sm" data-testid="usage-numbers">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-slate-500">{label}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      <svg
        className="mt-4 w-full"
        viewBox={`0 0 ${usage.byDay.length * DAY_WIDTH} ${CHART_HEIGHT + 12}`}
        role="img"
        aria-label={`Calls per day: ${usage.byDay.map((d) => `${d.day} ${d.calls}`).join(", ")}`}
        data-testid="usage-chart"
      >
        {usage.byDay.map((d, i) => {
          const height = Math.round((d.calls / peak) * CHART_HEIGHT);
          const errors = Math.round((d.errors / peak) * CHART_HEIGHT);
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${d.calls} calls, ${d.errors} errors, ${d.throttled} throttled, ${d.cacheHits} cache hits`}</title>
              <rect
                x={i * DAY_WIDTH + 3}
                y={CHART_HEIGHT - height}
                width={DAY_WIDTH - 6}
                height={Math.max(height, 0.5)}
                className="fill-brand-500"
              />
              {errors > 0 ? (
                <rect x={i * DAY_WIDTH + 3} y={CHART_HEIGHT - errors} width={DAY_WIDTH - 6} height={errors} className="fill-red-500" />
              ) : null}
              <text x={i * DAY_WIDTH + DAY_WIDTH / 2} y={CHART_HEIGHT + 10} textAnchor="middle" className="fill-slate-500 text-[8px]">
                {d.day.slice(8)}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="mt-3 text-xs text-slate-500">
        Last 30 days: {month.calls} call{month.calls === 1 ? "" : "s"}, {usd(month.estimatedCostUsd)}. Prices: AWS $0.05, GCP and Azure
        $0.03 per 10,000 calls; Vault $0.
      </p>
    </Panel>
  );
}

function usd(amount: number): string {
  return amount === 0 ? "$0" : amount < 0.01 ? `$${amount.toFixed(6)}` : `$${amount.toFixed(2)}`;
}
