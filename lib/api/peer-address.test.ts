import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { installPeerAddressHeader, peerAddress } from "./peer-address";

/** One request to a real local server; returns what peerAddress read from the headers it got. */
async function peerSeenBy(headers: Record<string, string>): Promise<string | null> {
  const server = http.createServer((request, response) => {
    const seen = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") seen.set(name, value);
    response.end(JSON.stringify(peerAddress(seen)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const reply = await fetch(`http://127.0.0.1:${port}/`, { headers });
    return JSON.parse(await reply.text()) as string | null;
  } finally {
    server.close();
  }
}

describe("the peer address stamp", () => {
  it("is not believed before the stamp is installed, whatever a client sends", async () => {
    expect(await peerSeenBy({ "x-provenance-peer": "203.0.113.1" })).toBeNull();
  });

  it("once installed, carries the socket's address and replaces a client's copy, proof and all", async () => {
    installPeerAddressHeader();
    expect(await peerSeenBy({})).toBe("127.0.0.1");
    expect(await peerSeenBy({ "x-provenance-peer": "203.0.113.1" })).toBe("127.0.0.1");
    // A stamp that did not come from this process (no proof, or a guessed one) is not an address.
    expect(peerAddress(new Headers({ "x-provenance-peer": "203.0.113.1" }))).toBeNull();
    expect(peerAddress(new Headers({ "x-provenance-peer": "guess 203.0.113.1" }))).toBeNull();
  });
});
