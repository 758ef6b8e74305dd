-- Users who sign in with single sign-on are found by the subject their identity provider gives them.
-- AlterTable
ALTER TABLE "users" ADD COLUMN     "oidc_subject" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "users_oidc_subject_key" ON "users"("oidc_subject");
