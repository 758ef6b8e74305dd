-- Per-route rules (SPEC §2.1): stored with the policy row, read and written whole.
ALTER TABLE "policies" ADD COLUMN "routes" JSONB NOT NULL DEFAULT '[]';
