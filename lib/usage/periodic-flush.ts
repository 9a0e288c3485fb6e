import { describeError, log } from "@/lib/log";

/**
 * Runs a flush of in-memory counts every `everyMs`, one at a time, and on demand (`flushNow`, which
 * resolves once everything counted before the call is stored, or the attempt failed and was
 * logged). A flush that fails keeps its counts for the next one (the flush function's job).
 */
export class PeriodicFlush {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly name: string,
    private readonly flush: () => Promise<void>,
    private readonly everyMs: number,
  ) {}

  /** Starts the timer (once); it never keeps the process alive. */
  start(): void {
    this.timer ??= setInterval(() => {
      // A slow database: the flush already queued sends what piles up meanwhile.
      if (this.queued === 0) void this.flushNow();
    }, this.everyMs).unref();
  }

  flushNow(): Promise<void> {
    this.queued++;
    this.tail = this.tail.then(async () => {
      this.queued--;
      try {
        await this.flush();
        if (this.failing) log.info(`${this.name} are stored again`);
        this.failing = false;
      } catch (error) {
        if (!this.failing) log.warn(`could not store ${this.name}; keeping them for the next try`, describeError(error));
        this.failing = true;
      }
    });
    return this.tail;
  }
}
