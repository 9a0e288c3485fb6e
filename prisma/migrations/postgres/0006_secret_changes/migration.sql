-- The change log behind the watch stream (see SecretChange in prisma/models.prisma).

-- CreateTable
CREATE TABLE "secret_changes" (
    "id" SERIAL NOT NULL,
    "secret_id" TEXT NOT NULL,
    "secret_path" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "version" TEXT,
    "fingerprint" TEXT,
    "changed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "secret_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "secret_changes_changed_at_idx" ON "secret_changes"("changed_at");
