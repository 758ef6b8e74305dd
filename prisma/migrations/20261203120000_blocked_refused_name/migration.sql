-- The method or header names a refusal named (issue 16): what "Allow" must add. Null for other reasons and for
-- rows written before this column. Not part of the key: each row keeps the latest refusal's names.
ALTER TABLE "blocked_origin_aggregates" ADD COLUMN "refused_name" TEXT;
