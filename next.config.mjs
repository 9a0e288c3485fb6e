import staticSecurityHeaders from "./lib/api/static-security-headers.json" with { type: "json" };
import { exitOnUnsupportedNode } from "./scripts/node-version.mjs";

// `next dev`, `next build` and `next start` load this file first: stop on an unsupported Node.
exitOnUnsupportedNode();

// Sent with every response. The page may never be framed (clickjacking a reveal button), never
// sniffed into another type, and never leak its URL to other sites. One list, shared with the
// resolve fast path (lib/api/fast-path.ts), which answers before Next sees the request.
const securityHeaders = Object.entries(staticSecurityHeaders).map(([key, value]) => ({ key, value }));

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server (node .next/standalone/server.js) for containers: see the Dockerfile.
  output: "standalone",
  // Native and optional server packages are loaded by Node at run time, never bundled: the cloud
  // SDKs are optionalDependencies and may be absent on a given install.
  serverExternalPackages: [
    "better-sqlite3",
    "pg",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "@aws-sdk/client-secrets-manager",
    // Installed with it: the STS client and default chain behind a connection's roleArn.
    "@aws-sdk/nested-clients",
    "@aws-sdk/credential-provider-node",
    "@azure/identity",
    "@azure/keyvault-secrets",
    "@google-cloud/secret-manager",
  ],
  poweredByHeader: false,
  // Server actions take what a dashboard form sends: the API's 64 KiB, not Next's 1 MB default.
  experimental: { serverActions: { bodySizeLimit: "64kb" } },
  reactStrictMode: true,
  // Settings has no page of its own: its first section is the providers list. Redirected before
  // any rendering (a redirect() thrown mid-render reaches the browser as a client-side navigation
  // after the page has loaded, which can cut short whatever the user clicked next).
  async redirects() {
    return [{ source: "/settings", destination: "/settings/secret-providers", permanent: false }];
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
