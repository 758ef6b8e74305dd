-- Login windows now count attempts (before the password check) rather than failures, and remember the
-- last two attempt times for the per-account backoff. Open windows are short-lived: they are dropped
-- rather than converted.
DELETE FROM "login_failure_windows";

-- AlterTable
ALTER TABLE "login_failure_windows" DROP COLUMN "failures",
ADD COLUMN     "attempts" INTEGER NOT NULL,
ADD COLUMN     "last_attempt_at" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN     "previous_attempt_at" TIMESTAMPTZ(3);
