import { processShared } from "@/lib/process-shared";

/**
 * Runs one batch resolve's paths under the batch's bounds:
 *
 * - a byte budget: values are counted (UTF-8 bytes) as they arrive; a value that would take the
 *   batch past `budgetBytes` is dropped and its path answered `response_too_large`, and from then
 *   on no further path is started (they get the same answer);
 * - a window on paths in flight, at most `concurrency`, and no more than the budget left can
 *   hold: each path started reserves its expected size, the size its value had the last time a
 *   batch read it (`knownSizes`), or else the largest value seen in this batch (before any is
 *   seen: an eighth of the budget). Paths known to be small all start at once (a repeated batch
 *   costs one round trip); large ones keep the window to the few that can still fit, so memory
 *   stays near the budget and large values past it are not fetched at all;
 * - one deadline: whatever is not answered `deadlineMs` after the start is answered with
 *   `timeoutFailure`, and nothing more is started; late answers are dropped.
 */
export type PathOutcome<T> = { ok: true; value: string; extra: T } | { ok: false; code: string; message: string };

export interface BatchBounds {
  concurrency: number;
  budgetBytes: number;
  deadlineMs: number;
  timeoutFailure: (path: string) => { code: string; message: string };
  /** Value sizes seen by earlier batches, by path; updated as values arrive. */
  knownSizes?: Map<string, number>;
}

/** Paths whose last value size is remembered, per process. */
const KNOWN_SIZES_MAX = 50_000;

/** The sizes every batch of this process shares (lib/process-shared.ts). */
export function batchValueSizes(): Map<string, number> {
  return processShared("batchValueSizes", () => new Map<string, number>());
}

const RESPONSE_TOO_LARGE = "response_too_large";
/** Before any value is seen, each is assumed to take this share of the budget. */
const START_WINDOW = 8;

export function runBatch<T>(
  paths: string[],
  bounds: BatchBounds,
  resolve: (path: string) => Promise<PathOutcome<T>>,
): Promise<PathOutcome<T>[]> {
  const outcomes = new Array<PathOutcome<T> | undefined>(paths.length);
  const tooLarge = (): PathOutcome<T> => ({
    ok: false,
    code: RESPONSE_TOO_LARGE,
    message: `Not answered: the values before it already fill this batch's budget of ${bounds.budgetBytes} bytes. Ask for this path in another request.`,
  });
  const knownSizes = bounds.knownSizes ?? new Map<string, number>();
  const reservations = new Array<number>(paths.length).fill(0);
  let next = 0;
  let inFlight = 0;
  let spent = 0;
  let reserved = 0;
  let largest = -1; // no value seen yet
  let budgetExhausted = false;
  let closed = false;

  return new Promise((done) => {
    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      done(paths.map((path, index) => outcomes[index] ?? { ok: false, ...bounds.timeoutFailure(path) }));
    };
    const timer = setTimeout(finish, bounds.deadlineMs);

    const expectedSize = (path: string) => knownSizes.get(path) ?? (largest < 0 ? bounds.budgetBytes / START_WINDOW : Math.max(largest, 1));

    const remember = (path: string, size: number) => {
      knownSizes.delete(path); // re-inserted last: the oldest entries are the first to go
      knownSizes.set(path, size);
      if (knownSizes.size > KNOWN_SIZES_MAX) knownSizes.delete(knownSizes.keys().next().value!);
    };

    const settle = (index: number, outcome: PathOutcome<T>) => {
      reserved -= reservations[index]!;
      if (outcome.ok) {
        const size = Buffer.byteLength(outcome.value, "utf8");
        largest = Math.max(largest, size);
        remember(paths[index]!, size);
        if (spent + size > bounds.budgetBytes) {
          budgetExhausted = true;
          outcome = tooLarge();
        } else {
          spent += size;
        }
      } else {
        largest = Math.max(largest, 0);
      }
      outcomes[index] = outcome;
    };

    const pump = () => {
      if (closed) return;
      if (budgetExhausted) {
        for (; next < paths.length; next++) outcomes[next] = tooLarge();
      }
      while (next < paths.length && inFlight < bounds.concurrency) {
        const cost = expectedSize(paths[next]!);
        // One path is always allowed in flight, so a batch moves on whatever the sizes.
        if (inFlight > 0 && spent + reserved + cost > bounds.budgetBytes) break;
        const index = next++;
        reservations[index] = cost;
        reserved += cost;
        inFlight++;
        resolve(paths[index]!).then(
          (outcome) => {
            inFlight--;
            if (closed) return;
            settle(index, outcome);
            pump();
          },
          () => {
            inFlight--;
            reserved -= reservations[index]!;
            if (closed) return;
            outcomes[index] = { ok: false, code: "internal_error", message: `Resolving ${paths[index]} failed on the server.` };
            pump();
          },
        );
      }
      if (inFlight === 0 && next >= paths.length) finish();
    };
    pump();
  });
}
