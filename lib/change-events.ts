/**
 * In-process notification that a connection changed or was deleted, so caches built on it (the
 * resolve cache) drop what they hold. Listeners must be cheap and must not throw.
 */
type Listener = (connectionId: string) => void;
const listeners = new Set<Listener>();

export function onConnectionChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyConnectionChanged(connectionId: string): void {
  for (const listener of listeners) listener(connectionId);
}
