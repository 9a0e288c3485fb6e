import { lineageFlusher } from "@/lib/lineage/lineage-flush";
import { usageFlusher } from "./usage-flush";

/** How long a stopping server waits for the last flush before it exits anyway. */
export const SHUTDOWN_FLUSH_MS = 3_000;

/**
 * Starts storing, every few seconds, what the resolve path counts in memory: connection usage
 * (lib/usage) and value lineage (lib/lineage). Called once at start-up (lib/boot/boot.ts).
 *
 * On SIGTERM/SIGINT a last flush starts at once. Next handles those signals itself: it finishes
 * the requests in flight and then calls process.exit, with no hook for us in between, and that
 * exit would cut the flush off. So process.exit is wrapped to wait for the flush first, at most
 * SHUTDOWN_FLUSH_MS: a slow database costs a few counts, never a stuck shutdown.
 */
export function startCountFlushes(): void {
  const flushers = [usageFlusher(), lineageFlusher()];
  for (const flusher of flushers) flusher.start();
  let last: Promise<unknown> | undefined;
  const flushAll = () => (last ??= Promise.race([Promise.all(flushers.map((f) => f.flushNow())), delay(SHUTDOWN_FLUSH_MS)]));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void flushAll();
      holdExitUntil(flushAll);
    });
  }
}

function holdExitUntil(done: () => Promise<unknown>): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    void done().finally(() => exit(code));
    // Whoever called exit is done with the process; nothing after its call should run meanwhile.
    return new Promise<never>(() => {}) as never;
  }) as typeof process.exit;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Stores everything counted so far (a usage or versions answer is then exact for this process). */
export async function flushCountsNow(): Promise<void> {
  await Promise.all([usageFlusher().flushNow(), lineageFlusher().flushNow()]);
}
