-- Upstream refresh of external secrets (see SecretRefreshState and RefreshBudget in prisma/models.prisma).

-- CreateTable
CREATE TABLE "secret_refresh_states" (
    "secret_id" TEXT NOT NULL PRIMARY KEY,
    "secret_revision" INTEGER NOT NULL,
    "next_check_at" DATETIME NOT NULL,
    "last_version" TEXT,
    "last_fingerprint" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "checked_at" DATETIME
);

-- CreateTable
CREATE TABLE "refresh_budgets" (
    "connection_id" TEXT NOT NULL PRIMARY KEY,
    "next_call_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "secret_refresh_states_next_check_at_idx" ON "secret_refresh_states"("next_check_at");
