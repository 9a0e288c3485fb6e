import { describe, expect, it } from "vitest";
import type { FetchSecretRequest, ProviderAdapter } from "@/lib/providers/adapter";
import { FetchGatherer } from "./fetch-gatherer";

/** An adapter that answers every path with its own name and records how it was asked. */
function recordingAdapter(withBatch: boolean) {
  const calls: string[][] = [];
  const singles: string[] = [];
  const adapter: ProviderAdapter = {
    fetchSecret: async (request) => {
      singles.push(request.path);
      return { value: `single:${request.path}`, version: null };
    },
    checkConnection: async () => {},
    forget: () => {},
    ...(withBatch
      ? {
          fetchCurrentSecrets: async (_context, paths) => {
            calls.push(paths);
            return paths.map((path) =>
              path.endsWith("missing")
                ? { status: "rejected", reason: new Error(`no ${path}`) }
                : { status: "fulfilled", value: { value: `batch:${path}`, version: "v" } },
            );
          },
        }
      : {}),
  };
  return { adapter, calls, singles };
}

const request = (path: string, connectionKey = "c1:1", version?: string): FetchSecretRequest => ({
  connectionKey,
  config: {},
  timeoutMs: 1000,
  path,
  ...(version ? { version } : {}),
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("FetchGatherer", () => {
  it("sends one connection's current reads together once no path is still being looked up", async () => {
    const gatherer = new FetchGatherer();
    const { adapter, calls, singles } = recordingAdapter(true);
    const [a, b, c, d] = [gatherer.ticket(), gatherer.ticket(), gatherer.ticket(), gatherer.ticket()];
    const first = a.fetch(adapter, request("s1"));
    const pinned = b.fetch(adapter, request("s2", "c1:1", "AWSPREVIOUS"));
    await tick();
    expect(calls).toEqual([]); // c and d are still being looked up
    const missing = c.fetch(adapter, request("missing"));
    d.done(); // d was served without a read
    await expect(first).resolves.toEqual({ value: "batch:s1", version: "v" });
    await expect(missing).rejects.toThrow("no missing");
    await expect(pinned).resolves.toEqual({ value: "single:s2", version: null });
    expect(calls).toEqual([["s1", "missing"]]);
    expect(singles).toEqual(["s2"]);
  });

  it("keeps connections apart and reads on its own through an adapter without a batch read", async () => {
    const gatherer = new FetchGatherer();
    const batching = recordingAdapter(true);
    const plain = recordingAdapter(false);
    const reads = [
      gatherer.ticket().fetch(batching.adapter, request("x", "c1:1")),
      gatherer.ticket().fetch(batching.adapter, request("y", "c2:1")),
      gatherer.ticket().fetch(plain.adapter, request("z", "c3:1")),
    ];
    expect((await Promise.all(reads)).map((r) => r.value)).toEqual(["batch:x", "batch:y", "single:z"]);
    expect(batching.calls).toEqual([["x"], ["y"]]);
    expect(plain.singles).toEqual(["z"]);
  });

  it("still sends a read whose path had already said it was done", async () => {
    const gatherer = new FetchGatherer();
    const { adapter, calls } = recordingAdapter(true);
    const ticket = gatherer.ticket();
    ticket.done();
    await expect(ticket.fetch(adapter, request("late"))).resolves.toEqual({ value: "batch:late", version: "v" });
    expect(calls).toEqual([["late"]]);
  });
});
