/**
 * In-process notice that a secret or a provider connection changed or was deleted, so caches
 * built on them (the resolve cache, SDK clients) drop what they hold. Listeners must be cheap
 * and must not throw.
 */
export interface ChangeEvent {
  kind: "secret" | "connection";
  id: string;
}

type Listener = (event: ChangeEvent) => void;
const listeners = new Set<Listener>();

export function onChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyChange(event: ChangeEvent): void {
  for (const listener of listeners) listener(event);
}
