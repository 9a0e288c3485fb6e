import type { AdapterContext, FetchedSecret, FetchSecretRequest, ProviderAdapter } from "@/lib/providers/adapter";

/**
 * Gathers one batch resolve's reads that a manager can answer together (AWS BatchGetSecretValue).
 *
 * Every path of the batch first looks its secret up in the database. A read of the current version
 * on a connection whose adapter has a batch read (fetchCurrentSecrets) then waits here; as soon as
 * no path of the batch is still being looked up, each connection's waiting reads go out as one
 * fetchCurrentSecrets, which splits them into calls of the manager's own size and sends those in
 * parallel. A read of a pinned version, or on an adapter without a batch read, goes straight to
 * fetchSecret.
 *
 * Each path holds a ticket: it stops counting as "being looked up" when it asks for its value
 * (`fetch`) or says it will not (`done`: not found, forbidden, served from the cache, or joined a
 * read already in flight).
 */
export interface GatherTicket {
  fetch(adapter: ProviderAdapter, request: FetchSecretRequest): Promise<FetchedSecret>;
  done(): void;
}

interface Waiting {
  path: string;
  resolve: (fetched: FetchedSecret) => void;
  reject: (error: unknown) => void;
}

interface Group {
  fetchCurrent: NonNullable<ProviderAdapter["fetchCurrentSecrets"]>;
  context: AdapterContext;
  waiting: Waiting[];
}

export class FetchGatherer {
  private lookingUp = 0;
  private readonly groups = new Map<string, Group>();
  private flushQueued = false;

  /** A path starts its lookup. */
  ticket(): GatherTicket {
    this.lookingUp++;
    let counted = true;
    const done = () => {
      if (!counted) return;
      counted = false;
      this.lookingUp--;
      this.flushWhenIdle();
    };
    return {
      fetch: (adapter, request) => {
        const fetchCurrent = adapter.fetchCurrentSecrets?.bind(adapter);
        if (!fetchCurrent || request.version) {
          done();
          return adapter.fetchSecret(request);
        }
        const promise = this.wait(fetchCurrent, request);
        done();
        // Also when this path had already said it was done: a read never waits for nothing.
        this.flushWhenIdle();
        return promise;
      },
      done,
    };
  }

  private wait(fetchCurrent: Group["fetchCurrent"], request: FetchSecretRequest): Promise<FetchedSecret> {
    let group = this.groups.get(request.connectionKey);
    if (!group) {
      const { connectionKey, config, timeoutMs, resolveHost } = request;
      group = { fetchCurrent, context: { connectionKey, config, timeoutMs, ...(resolveHost ? { resolveHost } : {}) }, waiting: [] };
      this.groups.set(request.connectionKey, group);
    }
    const waiting = group.waiting;
    return new Promise((resolve, reject) => waiting.push({ path: request.path, resolve, reject }));
  }

  private flushWhenIdle(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // After the current job: a path that asked for its value in the same turn is in its group.
    queueMicrotask(() => {
      this.flushQueued = false;
      if (this.lookingUp > 0) return;
      const groups = [...this.groups.values()];
      this.groups.clear();
      for (const group of groups) send(group);
    });
  }
}

function send({ fetchCurrent, context, waiting }: Group): void {
  fetchCurrent(
    context,
    waiting.map((w) => w.path),
  ).then(
    (outcomes) =>
      waiting.forEach((w, index) => {
        const outcome = outcomes[index];
        if (outcome?.status === "fulfilled") w.resolve(outcome.value);
        else w.reject(outcome ? outcome.reason : new Error(`no outcome for ${w.path}`));
      }),
    (error: unknown) => waiting.forEach((w) => w.reject(error)),
  );
}
