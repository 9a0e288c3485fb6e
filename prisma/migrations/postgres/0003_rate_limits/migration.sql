-- Sliding-window rate-limit counters (see RateLimitHit in prisma/models.prisma).

-- CreateTable
CREATE TABLE "rate_limit_hits" (
    "key" TEXT NOT NULL,
    "bucket_start" BIGINT NOT NULL,
    "hits" INTEGER NOT NULL,

    CONSTRAINT "rate_limit_hits_pkey" PRIMARY KEY ("key","bucket_start")
);

-- CreateIndex
CREATE INDEX "rate_limit_hits_bucket_start_idx" ON "rate_limit_hits"("bucket_start");
