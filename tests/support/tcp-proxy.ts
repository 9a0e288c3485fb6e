import net from "node:net";

/**
 * A TCP pass-through in front of a server on 127.0.0.1, to break the network underneath a client
 * without touching the server: `resetAll()` drops the live connections (RST), `cut()` does that
 * and refuses new ones too (the host went away), `restore()` lets connections through again.
 * The GCP fake sits behind one (grpc-js offers no way to reset its HTTP/2 connection from a
 * handler); the fault tests put one between the app and PostgreSQL.
 */
export interface TcpProxy {
  port: number;
  /** What the proxy did to connections, for the tests to report how many faults they injected. */
  readonly faults: { connectionsReset: number; connectionsRefused: number };
  resetAll(): void;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const clients = new Set<net.Socket>();
  const faults = { connectionsReset: 0, connectionsRefused: 0 };
  let refusing = false;

  // No Nagle on either leg, like the endpoints it stands between: otherwise a small reply waits
  // for the peer's delayed ACK (~40 ms), and the proxy, not the service, sets the latency.
  const server = net.createServer({ noDelay: true }, (client) => {
    if (refusing) {
      // Accept-then-reset: a client sees its connection fail at once, as with a host that is down.
      faults.connectionsRefused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ port: targetPort, host: "127.0.0.1", noDelay: true });
    clients.add(client);
    for (const socket of [client, upstream]) socket.on("error", () => {});
    client.pipe(upstream).pipe(client);
    client.on("close", () => {
      clients.delete(client);
      upstream.destroy();
    });
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  function resetAll() {
    for (const client of clients) {
      faults.connectionsReset++;
      client.resetAndDestroy();
    }
    clients.clear();
  }

  return {
    port: (server.address() as net.AddressInfo).port,
    faults,
    resetAll,
    cut() {
      refusing = true;
      resetAll();
    },
    restore() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        server.close(() => resolve());
      }),
  };
}
