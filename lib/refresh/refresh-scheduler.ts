import "server-only";
import { onChange } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { processShared } from "@/lib/process-shared";
import { PROVENANCE_PROVIDER } from "@/lib/secrets/secret-schemas";
import { parseProviderConfig } from "@/lib/secrets/secret-view";
import { checkUpstream, lineageBaseline, type Observed, type RefreshTarget } from "./check-upstream";
import { recordUpstreamChange } from "./record-upstream-change";
import {
  claimState,
  dropState,
  dueStates,
  OFF_RECHECK_MS,
  refreshIntervalMs,
  rescheduleState,
  syncStates,
  type RefreshStateRow,
} from "./refresh-state";
import { backoffMs, jittered } from "./refresh-timing";

/**
 * The upstream refresh (CONTRACT "Change awareness"): every external secret is checked for a new
 * version every providerConfig.refreshSeconds (default 300, ±20 %; 0: never), at most once per
 * interval across all instances (refresh-state.ts), within its connection's maxCallsPerMinute
 * (refresh-budget.ts), backing off on secrets that keep failing (refresh-timing.ts). A change is
 * recorded by record-upstream-change.ts.
 *
 * Every instance ticks every PROVENANCE_REFRESH_TICK_MS: gives new or edited external secrets
 * their state row (after a secret change is announced, and every 30 s for writes nobody
 * announces, such as an import by the CLI on SQLite), then claims and checks what is due, at most PROVENANCE_REFRESH_CONCURRENCY at
 * once (one pass at a time, so a slow manager never piles checks up). Upstream calls keep their
 * usual deadline; timers never hold the process open; on SIGTERM/SIGINT no new check starts and
 * budget waits end at once.
 */
const DUE_PER_PASS = 100;
/** New and edited secrets are looked for after a secret change is announced, and at least this often regardless. */
const SYNC_EVERY_MS = 30_000;

class RefreshScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private failingPass = false;
  private syncedAt = 0;
  private secretsChanged = true;

  start(): void {
    if (this.timer || this.stopping.signal.aborted) return;
    onChange((event) => {
      if (event.kind === "secret" || event.kind === "all") this.secretsChanged = true;
    });
    this.timer = setInterval(() => void this.tick(), env().PROVENANCE_REFRESH_TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopping.abort();
  }

  /** One pass now (or the one under way): tests and the tick. */
  tick(): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      if (this.secretsChanged || Date.now() - this.syncedAt >= SYNC_EVERY_MS) {
        this.secretsChanged = false;
        await syncStates().catch((error: unknown) => {
          this.secretsChanged = true; // the next pass tries again
          throw error;
        });
        this.syncedAt = Date.now();
      }
      const due = await dueStates(DUE_PER_PASS);
      if (due.length === 0) return;
      const secrets = await findSecrets(due.map((d) => d.secretId));
      const byId = new Map(secrets.map((s) => [s.id, s]));
      const queue = [...due];
      const worker = async () => {
        for (let state = queue.shift(); state && !this.stopping.signal.aborted; state = queue.shift()) {
          await this.checkOne(state, byId.get(state.secretId)).catch((error: unknown) =>
            log.warn("upstream refresh: a check could not be recorded", { secretId: state.secretId, ...describeError(error) }),
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(env().PROVENANCE_REFRESH_CONCURRENCY, queue.length) }, worker));
      if (this.failingPass) log.info("upstream refresh runs again");
      this.failingPass = false;
    } catch (error) {
      // The database is away, most likely: the next tick tries again.
      if (!this.failingPass) log.warn("upstream refresh pass failed", describeError(error));
      this.failingPass = true;
    }
  }

  private async checkOne(state: RefreshStateRow, secret: SecretWithConnection | undefined): Promise<void> {
    if (!secret || secret.provider === PROVENANCE_PROVIDER || !secret.secretProvider || !secret.providerPath)
      return dropState(state.secretId);
    if (secret.version !== state.secretRevision) return; // edited: the next sync starts it over
    const providerConfig = parseProviderConfig(secret.providerConfig);
    const interval = refreshIntervalMs(providerConfig);
    const now = Date.now();
    if (!(await claimState(secret.id, now + (interval > 0 ? jittered(interval) : OFF_RECHECK_MS), now))) return;
    if (interval === 0) return;

    const target: RefreshTarget = {
      id: secret.id,
      secretPath: secret.secretPath,
      providerPath: secret.providerPath,
      providerConfig,
      connection: secret.secretProvider,
    };
    const stored: Observed = { version: state.lastVersion, fingerprint: state.lastFingerprint };
    const hasBaseline = stored.version !== null || stored.fingerprint !== null;
    // A first check compares with what readers were served since the last edit, if anything.
    const known = hasBaseline ? stored : await lineageBaseline(secret.id, secret.updatedAt);

    let outcome: Awaited<ReturnType<typeof checkUpstream>>;
    try {
      outcome = await checkUpstream(target, known, this.stopping.signal);
    } catch (error) {
      if (this.stopping.signal.aborted) return;
      const failures = state.failures + 1;
      const wait = backoffMs(interval, failures);
      await rescheduleState(secret.id, Date.now() + wait, failures);
      log.warn("upstream refresh: check failed", {
        secretPath: secret.secretPath,
        connection: secret.secretProvider.name,
        failures,
        nextInMs: wait,
        ...describeError(error),
      });
      return;
    }
    if (outcome.kind === "postponed") return rescheduleState(secret.id, outcome.at);
    if (outcome.kind === "pinned") return rescheduleState(secret.id, Date.now() + OFF_RECHECK_MS, 0);

    const seen = outcome.observed;
    if (seen.fingerprint !== null && differs(known, seen)) {
      const recorded = await recordUpstreamChange({
        target,
        stored: { ...stored, revision: state.secretRevision },
        before: known,
        after: { ...seen, fingerprint: seen.fingerprint },
      });
      if (recorded)
        log.info("upstream change", {
          secretPath: secret.secretPath,
          connection: secret.secretProvider.name,
          oldVersion: known.version,
          newVersion: seen.version,
        });
      return;
    }
    // Unchanged (or the first look): the baseline as seen now; a fingerprint only read alongside stays.
    const sameVersion = seen.version !== null && seen.version === known.version;
    await db().secretRefreshState.updateMany({
      // Only over the state this check started from: a slower, overlapping check never undoes a newer one.
      where: {
        secretId: secret.id,
        secretRevision: state.secretRevision,
        lastVersion: stored.version,
        lastFingerprint: stored.fingerprint,
      },
      data: {
        lastVersion: seen.version,
        lastFingerprint: seen.fingerprint ?? (sameVersion ? known.fingerprint : null),
        failures: 0,
        checkedAt: new Date(),
      },
    });
  }
}

type SecretWithConnection = Awaited<ReturnType<typeof findSecrets>>[number];
function findSecrets(ids: string[]) {
  return db().secret.findMany({ where: { id: { in: ids } }, include: { secretProvider: true } });
}

/** Version ids decide where both sides have one; otherwise fingerprints; with neither, nothing is known to differ. */
export function differs(known: Observed, seen: Observed): boolean {
  if (known.version !== null && seen.version !== null) return known.version !== seen.version;
  if (known.fingerprint !== null && seen.fingerprint !== null) return known.fingerprint !== seen.fingerprint;
  return false;
}

/** The process's scheduler (lib/process-shared.ts). */
export function refreshScheduler(): RefreshScheduler {
  return processShared("refresh.scheduler", () => new RefreshScheduler());
}

/**
 * A manager said these secrets changed (lib/notifications): their checks are due now, and this
 * instance starts a pass at once, so the change is recorded, audited and sent to watchers like one
 * found by polling. Returns the ids that will be checked: those with a state row while the
 * refresh is on (the caller re-reads the others itself).
 */
export async function checkSoon(secretIds: string[]): Promise<Set<string>> {
  if (!env().PROVENANCE_REFRESH || secretIds.length === 0) return new Set();
  const now = new Date();
  await db().secretRefreshState.updateMany({ where: { secretId: { in: secretIds } }, data: { nextCheckAt: now } });
  const due = await db().secretRefreshState.findMany({
    where: { secretId: { in: secretIds }, nextCheckAt: { lte: now } },
    select: { secretId: true },
  });
  void refreshScheduler().tick();
  return new Set(due.map((row) => row.secretId));
}

/** Starts the refresh at boot unless PROVENANCE_REFRESH turns it off; stops it on SIGTERM/SIGINT. */
export function startUpstreamRefresh(): void {
  if (!env().PROVENANCE_REFRESH) {
    log.info("upstream refresh is off (PROVENANCE_REFRESH)");
    return;
  }
  const scheduler = refreshScheduler();
  scheduler.start();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => scheduler.stop());
}
