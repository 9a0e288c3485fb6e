// `npm start`: runs the built standalone server (what containers run too) from a checkout.
// It reads .env here (the standalone server changes into its own folder and would not see it),
// pins a relative SQLite path to this folder, and passes stop signals on so that in-flight
// requests finish before the process exits.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { exitOnUnsupportedNode } from "./node-version.mjs";

exitOnUnsupportedNode();

const root = process.cwd();
const server = path.join(root, ".next", "standalone", "server.js");
if (!fs.existsSync(server)) {
  console.error("The app is not built yet: run `npm run build` first.");
  process.exit(1);
}
if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));

const env = { ...process.env };
env.PORT ??= "3000";
// The standalone server binds to $HOSTNAME, which shells and containers often set to the machine's
// name: listen where the operator says, on every interface by default (as `next start` does).
env.HOSTNAME = env.PROVENANCE_LISTEN_HOST || "0.0.0.0";
env.DATABASE_URL ||= "file:./data/provenance.db";
// Idle keep-alive connections stay open longer than a load balancer's idle timeout (60 s on AWS
// and GCP load balancers): a server that closes first races the balancer's next request on that
// connection, which then fails with a reset (a 502 at the balancer). Node's default is 5 s.
env.KEEP_ALIVE_TIMEOUT ||= "65000";
// An empty NEXTAUTH_URL (`NEXTAUTH_URL=` in .env) means unset: next-auth's browser half would try
// to parse "" as a URL and fail every page that signs in or out.
if (!env.NEXTAUTH_URL?.trim()) delete env.NEXTAUTH_URL;
const sqlite = /^file:(?!\/)(.*)$/.exec(env.DATABASE_URL);
if (sqlite) env.DATABASE_URL = `file:${path.resolve(root, sqlite[1])}`;

const child = spawn(process.execPath, [server], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGTERM" ? 143 : 130)));
