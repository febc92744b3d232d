-- When a session was last used (at most five minutes off): an idle session ends.
ALTER TABLE sessions ADD COLUMN seen_at TEXT;
