-- The audit head follows each appended entry inside the INSERT itself, so an append is one
-- statement (plus reading and locking the head) instead of two.
CREATE FUNCTION audit_head_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_head_follows();
