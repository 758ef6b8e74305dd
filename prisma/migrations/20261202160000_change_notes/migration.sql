-- Change notes (SPEC §4.1): every write may carry a short note, kept with the version it made and its audit row.
-- AlterTable
ALTER TABLE "policy_versions" ADD COLUMN     "note" TEXT;

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "note" TEXT;

