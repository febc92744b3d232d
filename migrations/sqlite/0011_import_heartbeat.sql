-- A running import says it is alive every few seconds: one whose process died (a CLI import
-- killed) is marked interrupted once this is stale, not when some server happens to start.
ALTER TABLE dossier_imports ADD COLUMN heartbeat_at TEXT;
