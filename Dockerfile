# syntax=docker/dockerfile:1
# Provenance in a container: build with dev dependencies, ship only the standalone server.
#   docker build -t provenance .
#   docker run -p 3000:3000 -e SECRETS_MASTER_KEY=… -e DATABASE_URL=postgresql://… provenance
# Migrations are applied by the server itself when it starts.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles its native addon when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# postinstall generates the Prisma clients from these.
COPY prisma ./prisma
COPY scripts/db-generate.mjs scripts/db-schemas.mjs scripts/prisma-schema-engine-unavailable.mjs ./scripts/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATABASE_URL=file:/app/data/provenance.db \
    KEEP_ALIVE_TIMEOUT=65000
WORKDIR /app
RUN groupadd --system --gid 1001 provenance \
 && useradd --system --uid 1001 --gid provenance --home-dir /app --shell /usr/sbin/nologin provenance \
 && mkdir -p /app/data \
 && chown provenance:provenance /app/data
# The app's files stay owned by root (read-only to the server); only /app/data is writable.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
USER provenance
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly (not npm) so SIGTERM reaches the server, which finishes in-flight requests.
CMD ["node", "server.js"]
