/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and optional server packages are loaded by Node at run time, never bundled: the cloud
  // SDKs are optionalDependencies and may be absent on a given install.
  serverExternalPackages: [
    "better-sqlite3",
    "pg",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "@aws-sdk/client-secrets-manager",
    "@azure/identity",
    "@azure/keyvault-secrets",
    "@google-cloud/secret-manager",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
