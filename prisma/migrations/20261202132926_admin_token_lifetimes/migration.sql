-- Every admin token now expires. Tokens created without an expiry get 90 days from now (the default
-- ADMIN_TOKEN_MAX_DAYS), so no script breaks at upgrade time. Revoke and re-create any that should end sooner.
UPDATE "admin_tokens" SET "expires_at" = now() + interval '90 days' WHERE "expires_at" IS NULL;

-- AlterTable
ALTER TABLE "admin_tokens" ADD COLUMN     "parent_id" UUID,
ALTER COLUMN "expires_at" SET NOT NULL;

-- CreateIndex
CREATE INDEX "admin_tokens_parent_id_idx" ON "admin_tokens"("parent_id");

-- AddForeignKey
ALTER TABLE "admin_tokens" ADD CONSTRAINT "admin_tokens_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "admin_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;
