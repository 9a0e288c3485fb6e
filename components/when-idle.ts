/**
 * Runs `task` when the browser is next idle (at the latest after two seconds), for fetching code
 * that is likely to be needed soon without competing with hydration. Returns the cancel function,
 * fit for a useEffect cleanup.
 */
export function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const handle = window.requestIdleCallback(task, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(task, 200);
  return () => window.clearTimeout(handle);
}
