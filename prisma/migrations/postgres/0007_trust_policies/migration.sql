-- Keyless access: trust policies for OIDC token exchange, the used ID tokens (replay guard), and
-- the policy that issued an exchanged API token (see TrustPolicy, UsedIdToken and
-- ApiToken.trustPolicyId in prisma/models.prisma).

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN "trust_policy_id" TEXT;

-- CreateTable
CREATE TABLE "trust_policies" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "claims" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "ttl_seconds" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "trust_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "used_id_tokens" (
    "issuer" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "used_id_tokens_pkey" PRIMARY KEY ("issuer", "jti")
);

-- CreateIndex
CREATE INDEX "api_tokens_trust_policy_id_idx" ON "api_tokens"("trust_policy_id");

-- CreateIndex
CREATE UNIQUE INDEX "trust_policies_name_key" ON "trust_policies"("name");

-- CreateIndex
CREATE INDEX "trust_policies_issuer_idx" ON "trust_policies"("issuer");

-- CreateIndex
CREATE INDEX "used_id_tokens_expires_at_idx" ON "used_id_tokens"("expires_at");
