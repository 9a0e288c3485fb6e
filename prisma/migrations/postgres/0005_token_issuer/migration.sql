-- Tokens remember whether a user made them (see ApiToken.issuedByUser in prisma/models.prisma), so a
-- token whose user was deleted (created_by_id set to null) is not mistaken for a CLI-made one.

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN "issued_by_user" BOOLEAN NOT NULL DEFAULT false;

-- Tokens that still name their user were made by that user. Tokens whose user is already gone
-- cannot be told apart from CLI-made ones any more and keep working as before.
UPDATE "api_tokens" SET "issued_by_user" = true WHERE "created_by_id" IS NOT NULL;
