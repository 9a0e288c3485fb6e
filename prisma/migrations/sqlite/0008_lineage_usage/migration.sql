-- Usage per connection and value lineage (see ProviderUsageDay, SecretVersion and SecretVersionRead
-- in prisma/models.prisma).

-- CreateTable
CREATE TABLE "provider_usage_days" (
    "connection_id" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "throttled" INTEGER NOT NULL DEFAULT 0,
    "cache_hits" INTEGER NOT NULL DEFAULT 0,
    "cache_misses" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("connection_id", "day")
);

-- CreateTable
CREATE TABLE "secret_versions" (
    "secret_id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "first_seen_at" DATETIME NOT NULL,
    "last_seen_at" DATETIME NOT NULL,

    PRIMARY KEY ("secret_id", "version")
);

-- CreateTable
CREATE TABLE "secret_version_reads" (
    "secret_id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "reader" TEXT NOT NULL,
    "last_read_at" DATETIME NOT NULL,

    PRIMARY KEY ("secret_id", "version", "reader")
);

-- CreateIndex
CREATE INDEX "secret_versions_secret_id_first_seen_at_idx" ON "secret_versions"("secret_id", "first_seen_at");
