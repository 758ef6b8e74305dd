-- The platform baseline (SPEC §2.2): one row, and one immutable row per version.
-- CreateTable
CREATE TABLE "platform_baseline" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "platform_baseline_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "platform_baseline_single_row" CHECK ("id" = 1)
);

-- CreateTable
CREATE TABLE "platform_baseline_versions" (
    "version" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "actor_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_baseline_versions_pkey" PRIMARY KEY ("version")
);
