-- Upstream refresh of external secrets (see SecretRefreshState and RefreshBudget in prisma/models.prisma).

-- CreateTable
CREATE TABLE "secret_refresh_states" (
    "secret_id" TEXT NOT NULL,
    "secret_revision" INTEGER NOT NULL,
    "next_check_at" TIMESTAMP(3) NOT NULL,
    "last_version" TEXT,
    "last_fingerprint" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "checked_at" TIMESTAMP(3),

    CONSTRAINT "secret_refresh_states_pkey" PRIMARY KEY ("secret_id")
);

-- CreateTable
CREATE TABLE "refresh_budgets" (
    "connection_id" TEXT NOT NULL,
    "next_call_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "refresh_budgets_pkey" PRIMARY KEY ("connection_id")
);

-- CreateIndex
CREATE INDEX "secret_refresh_states_next_check_at_idx" ON "secret_refresh_states"("next_check_at");
