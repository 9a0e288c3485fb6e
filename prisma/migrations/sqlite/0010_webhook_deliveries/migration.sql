-- Outgoing webhook deliveries (see WebhookDelivery in prisma/models.prisma).

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "change_id" INTEGER NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" DATETIME NOT NULL,
    "lease_until" DATETIME,
    "lease_owner" TEXT,
    "last_error" TEXT,
    "created_at" DATETIME NOT NULL,
    "finished_at" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_change_id_key" ON "webhook_deliveries"("change_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_finished_at_idx" ON "webhook_deliveries"("finished_at");
