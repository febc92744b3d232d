-- Notices inside the app: every rule that reminds, urges or sums up also raises a notice in
-- the app (channel 'app', delivered at once), whether or not a mail server or a webhook is
-- configured. A unit's notices are its officers'; a notice to one person names its user.
ALTER TABLE notifications ADD COLUMN user_id BIGINT REFERENCES users(id);
CREATE INDEX notifications_app_unit ON notifications(unit_id, channel, created_at);
CREATE INDEX notifications_app_user ON notifications(user_id, channel, created_at);

-- who has read which notice
CREATE TABLE notice_reads (
    notification_id BIGINT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at TEXT NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);
CREATE INDEX notice_reads_user ON notice_reads(user_id);
