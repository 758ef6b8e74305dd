-- Single-origin writes store a delta instead of a whole-policy snapshot (issue 15: an add to a 100,000-origin
-- policy must not cost a whole-policy rewrite). Existing rows are snapshots. See policy-version-chain.ts.
-- AlterTable
ALTER TABLE "policies" ADD COLUMN     "origin_count" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "policy_versions" ADD COLUMN     "delta" JSONB,
ADD COLUMN     "snapshot_version" INTEGER,
ALTER COLUMN "document" DROP NOT NULL;

-- A row is a snapshot (document) or a delta over its previous version (delta + the snapshot its chain starts at).
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_snapshot_or_delta" CHECK (
  (document IS NOT NULL AND delta IS NULL AND snapshot_version IS NULL)
  OR (document IS NULL AND delta IS NOT NULL AND snapshot_version IS NOT NULL AND snapshot_version < version));

-- The count the bound check and the tenant list read, from the entries as they are.
UPDATE "policies" p SET "origin_count" = (SELECT count(*) FROM "origin_entries" o WHERE o.tenant_id = p.tenant_id);
