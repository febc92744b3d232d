-- A directive or a task published by mistake is withdrawn, not deleted: it stays readable
-- with its history and audit, and its assignments leave every dashboard, list and reminder.
ALTER TABLE directives ADD COLUMN withdrawn_at TEXT;
ALTER TABLE directives ADD COLUMN withdrawn_reason TEXT;
ALTER TABLE tasks ADD COLUMN withdrawn_at TEXT;
ALTER TABLE tasks ADD COLUMN withdrawn_reason TEXT;
ALTER TABLE assignments ADD COLUMN withdrawn_at TEXT;
