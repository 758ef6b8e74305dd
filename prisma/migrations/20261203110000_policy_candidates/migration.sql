-- Candidate policies under shadow evaluation (SPEC §3, §4.1) and the differences they would make.
-- One row per tenant once a candidate was first saved, and document is null while there is none (deleted or
-- promoted). The row is kept so that version only grows: every candidate ETag is new, never reused.
CREATE TABLE "policy_candidates" (
    "tenant_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "document" JSONB,
    "actor_label" TEXT NOT NULL,
    "note" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_candidates_pkey" PRIMARY KEY ("tenant_id")
);

-- Shadow differences per tenant, origin, direction, candidate reason and hour (bounded like the blocked log).
CREATE TABLE "shadow_difference_aggregates" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "origin" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shadow_difference_aggregates_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "shadow_difference_aggregates_tenant_id_origin_direction_reason_hour_key" ON "shadow_difference_aggregates"("tenant_id", "origin", "direction", "reason", "hour");
CREATE INDEX "shadow_difference_aggregates_tenant_id_hour_idx" ON "shadow_difference_aggregates"("tenant_id", "hour");

ALTER TABLE "policy_candidates" ADD CONSTRAINT "policy_candidates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "shadow_difference_aggregates" ADD CONSTRAINT "shadow_difference_aggregates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
