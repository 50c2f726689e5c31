-- The audit head follows each appended entry inside the INSERT itself, so an append is one
-- statement (plus reading the head) instead of two.
CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_log
BEGIN
    UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash WHERE id = 1;
END;
