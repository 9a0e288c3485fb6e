/**
 * When the upstream refresh checks a secret next: its interval jittered by ±20 % (so secrets made
 * together, or instances started together, do not all ask at once), and after failures a wait that
 * doubles with each one in a row, capped at an hour.
 */
export const JITTER = 0.2;
export const MAX_BACKOFF_MS = 60 * 60 * 1000;

export function jittered(intervalMs: number, random: () => number = Math.random): number {
  return Math.round(intervalMs * (1 - JITTER + 2 * JITTER * random()));
}

/** The wait after `failures` failed checks in a row (1 = the first failure): the interval doubled per failure past the first, at most an hour, jittered. */
export function backoffMs(intervalMs: number, failures: number, random: () => number = Math.random): number {
  const doubled = intervalMs * 2 ** Math.min(Math.max(failures - 1, 0), 20);
  return jittered(Math.min(doubled, MAX_BACKOFF_MS), random);
}
