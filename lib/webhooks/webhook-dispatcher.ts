import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record-audit";
import { onChange } from "@/lib/change-events";
import { describeError, log } from "@/lib/log";
import { processShared } from "@/lib/process-shared";
import { queueNewChanges } from "./change-outbox";
import { claimDue, markDelivered, markFailed, nextDueAt, pruneFinished, releaseLeases, type ClaimedDelivery } from "./delivery-store";
import { ATTEMPT_TIMEOUT_MS, postWebhook } from "./post-webhook";
import { retryDelayMs } from "./retry-schedule";
import { webhookOrigin, type WebhookConfig } from "./webhook-config";

/**
 * Sends change events to PROVENANCE_WEBHOOK_URL, one loop per process: it copies new change log
 * rows into the outbox (change-outbox.ts), claims due deliveries with a lease, and posts them,
 * at most MAX_IN_FLIGHT at once. It wakes on this process's secret changes (and other instances'
 * through PostgreSQL notifications), every POLL_MS regardless, and when a retry falls due.
 *
 * Never in the way of requests: every timer is unref'd, all work is asynchronous and bounded, and
 * a failing database or receiver only logs. On SIGTERM it stops claiming, aborts attempts in flight
 * and gives their leases back (best effort; otherwise they lapse after LEASE_MS), so a restarted or
 * another instance carries on; an attempt cut off that way is not counted.
 */
const POLL_MS = 1_000;
const MAX_IN_FLIGHT = 4;
/** Longer than an attempt can take, so a live instance's lease never lapses under it. */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 20_000;
/** Delivered and failed deliveries are kept this long (for GET /api/metrics and inspection). */
const KEEP_FINISHED_MS = 7 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

class WebhookDispatcher {
  private readonly owner = randomUUID();
  private readonly inFlight = new Map<string, AbortController>();
  private running = false;
  private again = false;
  private stopped = false;
  private started = false;
  private timers: NodeJS.Timeout[] = [];
  private dueTimer: NodeJS.Timeout | undefined;
  private failingSince: number | undefined;

  constructor(private readonly config: WebhookConfig) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    onChange((event) => {
      if (event.kind === "secret" || event.kind === "all") this.wake();
    });
    this.timers.push(setInterval(() => this.wake(), POLL_MS).unref());
    this.timers.push(setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref());
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void this.stop());
    log.info("change events are sent to the webhook", { origin: webhookOrigin(this.config.url), maxAttempts: this.config.maxAttempts });
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run().finally(() => (this.running = false));
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        await queueNewChanges();
        const free = MAX_IN_FLIGHT - this.inFlight.size;
        const now = new Date();
        const claimed = this.stopped
          ? []
          : await claimDue({ owner: this.owner, limit: free, leaseUntil: new Date(now.getTime() + LEASE_MS), now });
        for (const delivery of claimed) this.send(delivery);
        await this.scheduleNextDue();
        if (this.failingSince !== undefined) log.info("webhook outbox readable again");
        this.failingSince = undefined;
      } catch (error) {
        // The next poll tries again; log once per outage, not once a second.
        if (this.failingSince === undefined) log.warn("could not read or claim webhook deliveries", describeError(error));
        this.failingSince ??= Date.now();
      }
    } while (this.again && !this.stopped);
  }

  /** A wake-up when the next retry falls due, if sooner than the next poll. */
  private async scheduleNextDue(): Promise<void> {
    const due = await nextDueAt();
    if (!due) return;
    const wait = due.getTime() - Date.now();
    if (wait <= 0 || wait >= POLL_MS) return;
    clearTimeout(this.dueTimer);
    this.dueTimer = setTimeout(() => this.wake(), wait + 5).unref();
  }

  private send(delivery: ClaimedDelivery): void {
    const abort = new AbortController();
    this.inFlight.set(delivery.id, abort);
    const attempt = delivery.attempts + 1;
    void postWebhook({
      url: this.config.url,
      secret: this.config.secret,
      body: delivery.payload,
      eventId: String(delivery.changeId),
      eventType: delivery.eventType,
      attempt,
      signal: abort.signal,
    })
      .then(async (result) => {
        if (this.stopped) return; // cut off by shutdown: not an attempt; the lease was given back
        if (result.ok) {
          await markDelivered(delivery, this.owner);
          return;
        }
        await this.recordFailure(delivery, attempt, result.error);
      })
      .catch((error: unknown) => log.warn("could not record a webhook attempt", { eventId: delivery.changeId, ...describeError(error) }))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.wake();
      });
  }

  private async recordFailure(delivery: ClaimedDelivery, attempt: number, error: string): Promise<void> {
    const giveUp = attempt >= this.config.maxAttempts;
    const retryAt = giveUp ? null : new Date(Date.now() + retryDelayMs(attempt, this.config.retryBaseMs));
    const fields = {
      eventId: String(delivery.changeId),
      eventType: delivery.eventType,
      attempt,
      maxAttempts: this.config.maxAttempts,
      error,
      origin: webhookOrigin(this.config.url),
    };
    if (!(await markFailed(delivery, this.owner, error, retryAt))) return;
    if (!giveUp) {
      log.warn("webhook delivery failed; will retry", { ...fields, retryAt: retryAt!.toISOString() });
      return;
    }
    log.error("webhook delivery failed; giving up", fields);
    const { secretId, secretPath } = JSON.parse(delivery.payload) as { secretId?: string; secretPath?: string };
    await recordAudit({
      actor: { kind: "system", label: "webhook" },
      action: "webhook.failed",
      target: { type: "secret", id: secretId ?? null, label: secretPath ?? null },
      outcome: "failure",
      details: { eventId: fields.eventId, eventType: fields.eventType, attempts: attempt, lastError: error, origin: fields.origin },
    });
  }

  private async prune(): Promise<void> {
    try {
      await pruneFinished(new Date(Date.now() - KEEP_FINISHED_MS));
    } catch (error) {
      log.warn("could not prune webhook deliveries", describeError(error));
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.dueTimer);
    const cutOff = this.inFlight.size > 0;
    for (const abort of this.inFlight.values()) abort.abort();
    if (cutOff) await releaseLeases(this.owner).catch(() => undefined);
  }
}

/**
 * Starts the dispatcher once per process when a webhook is configured (lib/boot/boot.ts checks
 * the configuration first).
 */
export function startWebhookDeliveries(config: WebhookConfig | null): void {
  if (!config) return;
  const dispatcher = processShared("webhooks.dispatcher", () => new WebhookDispatcher(config));
  dispatcher.start();
}
