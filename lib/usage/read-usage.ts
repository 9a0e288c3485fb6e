import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError, notFound, validationError } from "@/lib/errors";
import { flushCountsNow } from "./count-flushes";
import { estimatedCostUsd } from "./price-table";
import { emptyCounts, USAGE_FIELDS, utcDay, type UsageCounts } from "./usage-counter";
import { storedUsage } from "./usage-store";

export const USAGE_WINDOWS = { "24h": 1, "7d": 7, "30d": 30 } as const;
export type UsageWindow = keyof typeof USAGE_WINDOWS;

const count = (description: string) => z.int().min(0).describe(description);
const totals = {
  calls: count("Requests made to the manager's API (each attempt; a BatchGetSecretValue for up to 20 secrets is one)"),
  errors: count("Calls that failed (an error answer, a timeout, an unreachable manager)"),
  throttled: count("Failed calls the manager answered with 429 or its own throttling code"),
  cacheHits: count("Resolves answered from the value cache"),
  cacheMisses: count("Resolves that needed an upstream read (shared reads included)"),
  estimatedCostUsd: z.number().min(0).describe("calls at list price: AWS $0.05, GCP $0.03, Azure $0.03 per 10,000; Vault $0"),
} satisfies Record<keyof UsageCounts | "estimatedCostUsd", z.ZodType>;

/** GET /api/secret-providers/:id/usage: the window's totals and each UTC day's. */
export const connectionUsageSchema = z
  .strictObject({
    ...totals,
    byDay: z
      .array(z.strictObject({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), ...totals }))
      .describe("Every UTC day that overlaps the window, oldest first (days without calls have zeros)"),
  })
  .meta({ id: "ConnectionUsage" });
export type ConnectionUsage = z.infer<typeof connectionUsageSchema>;
export type UsageTotals = Omit<ConnectionUsage, "byDay">;

export function parseUsageWindow(value: string | null): UsageWindow {
  if (value === null || value === "") return "24h";
  if (Object.hasOwn(USAGE_WINDOWS, value)) return value as UsageWindow;
  throw validationError({ window: "Must be 24h, 7d or 30d" });
}

/** The UTC days, oldest first, that overlap the window ending now: 24h is yesterday and today. */
export function windowDays(window: UsageWindow, now = Date.now()): string[] {
  const days: string[] = [];
  const dayMs = 86_400_000;
  const first = Date.parse(`${utcDay(now - USAGE_WINDOWS[window] * dayMs)}T00:00:00.000Z`);
  for (let t = first; t <= now; t += dayMs) days.push(utcDay(t));
  return days;
}

/**
 * GET /api/secret-providers/:id/usage — the upstream calls this connection made, per UTC day, and
 * their cost at list price. This process's counts are stored first, so the answer includes them.
 * A scoped token is refused: the numbers cover every secret of the connection, in its scope or not.
 */
export async function connectionUsage(options: {
  actor: Actor;
  id: string;
  window: string | null;
  now?: number;
}): Promise<ConnectionUsage> {
  const window = parseUsageWindow(options.window);
  if (options.actor.scope) {
    throw new AppError(
      "forbidden",
      `This token's scope (${options.actor.scope}) does not cover a whole connection; its usage counts every secret it serves.`,
    );
  }
  const connection = await db().secretProvider.findUnique({ where: { id: options.id }, select: { id: true, type: true } });
  if (!connection) throw notFound("Secret provider connection");
  await flushCountsNow();
  const days = windowDays(window, options.now);
  const rows = new Map((await storedUsage(connection.id, days[0]!)).map((row) => [row.day, row]));
  const totals = emptyCounts();
  const byDay = days.map((day) => {
    const counts = emptyCounts();
    const row = rows.get(day);
    for (const field of USAGE_FIELDS) {
      counts[field] = row?.[field] ?? 0;
      totals[field] += counts[field];
    }
    return { day, ...counts, estimatedCostUsd: estimatedCostUsd(connection.type, counts.calls) };
  });
  return { ...totals, estimatedCostUsd: estimatedCostUsd(connection.type, totals.calls), byDay };
}
