-- The audit log is append-only: refuse UPDATE and DELETE at the database level too.
-- The WASM schema engine splits scripts on every semicolon, dollar quotes included, so the function body
-- spells its semicolon as the octal escape \073.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''audit_events is append-only''\073 END'
;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
