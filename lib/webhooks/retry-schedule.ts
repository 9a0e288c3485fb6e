/**
 * When a failed delivery is tried again: `base` after the first failure, doubling each time, with
 * ±20 % jitter so that instances (and receivers coming back up) are not hit in lockstep. With the
 * defaults (30 s, 8 attempts) the last attempt comes about an hour after the first.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 20);
  const jitter = 0.8 + 0.4 * random();
  return Math.round(baseMs * 2 ** exponent * jitter);
}
