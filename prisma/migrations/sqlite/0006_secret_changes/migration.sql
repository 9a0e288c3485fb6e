-- The change log behind the watch stream (see SecretChange in prisma/models.prisma).

-- CreateTable
CREATE TABLE "secret_changes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "secret_id" TEXT NOT NULL,
    "secret_path" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "version" TEXT,
    "fingerprint" TEXT,
    "changed_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "secret_changes_changed_at_idx" ON "secret_changes"("changed_at");
