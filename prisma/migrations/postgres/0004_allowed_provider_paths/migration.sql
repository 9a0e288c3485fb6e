-- A connection may fence the upstream paths its secrets read (JSON list of patterns; NULL: any path).

-- AlterTable
ALTER TABLE "secret_providers" ADD COLUMN "allowed_provider_paths" TEXT;
