/**
 * Next runs this once per server process before serving requests. Every request is stamped with
 * the address of the connection it came over (the one client address that cannot be forged), and
 * start-up failures (no master key in production, a key that does not match the data, a database
 * that cannot be migrated) stop the process with a clear message instead of a server that answers
 * with errors. Then bearer-token resolves start taking the fast path (lib/api/fast-path.ts), and
 * the Pages Router's list pages get their loaders (lib/pages/page-data.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { stampPeerAddress } = await import("./lib/boot/stamp-peer-address");
  stampPeerAddress();
  const { bootOrExit } = await import("./lib/boot/boot");
  await bootOrExit();
  // Only once the database is migrated and the master key checked.
  const { openFastPath } = await import("./lib/api/fast-path");
  openFastPath();
  const [{ providePageLoaders }, loaders] = await Promise.all([import("./lib/pages/page-data"), import("./lib/pages/dashboard-lists")]);
  providePageLoaders(loaders);
}
