-- A failed connection test keeps where it failed, at which host and what to change, so the
-- connection's page still says so after a reload (NULL after a passing test).

-- AlterTable
ALTER TABLE "secret_providers" ADD COLUMN "last_test_stage" TEXT;
ALTER TABLE "secret_providers" ADD COLUMN "last_test_endpoint" TEXT;
ALTER TABLE "secret_providers" ADD COLUMN "last_test_hint" TEXT;
