-- Each audit entry belongs to the province whose data it changed, so that a province's
-- secretariat reads its own trail only; entries of no province are the administrator's.
ALTER TABLE audit_log ADD COLUMN province_code TEXT;
UPDATE audit_log SET province_code = (
    SELECT un.province_code FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = audit_log.user_id
);
CREATE INDEX audit_province ON audit_log(province_code, id);
