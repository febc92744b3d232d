-- Periodic reporting: templates, schedules (who reports to whom, how often, cut-off and
-- due rules), one request per period and unit, versioned submissions; the notification
-- outbox (reminders, digests, urging notices); the holiday calendar for working-day rules.

CREATE TABLE holidays (
    day TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE report_templates (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- the fields, as JSON (reporting::template::Field): small, read whole, edited whole
    fields_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE report_schedules (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    body_id BIGINT REFERENCES bodies(id),
    template_id BIGINT NOT NULL REFERENCES report_templates(id),
    -- the next level of the consolidation cascade (whose reporters include our receiver)
    parent_id BIGINT REFERENCES report_schedules(id),
    name TEXT NOT NULL,
    receiver_unit_id BIGINT NOT NULL REFERENCES units(id),
    frequency TEXT NOT NULL,
    -- Decree 09/2019 windows end on this day of the period's last month (0: calendar month)
    cutoff_day INTEGER NOT NULL DEFAULT 14,
    due_rule TEXT NOT NULL,
    due_value INTEGER NOT NULL DEFAULT 0,
    -- ad hoc reports: the window's start and the due date
    adhoc_start TEXT,
    adhoc_due TEXT,
    reminder_offsets TEXT NOT NULL DEFAULT '-3,-1,1,3',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX report_schedules_province ON report_schedules(province_code);

CREATE TABLE report_schedule_units (
    schedule_id BIGINT NOT NULL REFERENCES report_schedules(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (schedule_id, unit_id)
);

CREATE TABLE report_requests (
    id INTEGER PRIMARY KEY,
    schedule_id BIGINT NOT NULL REFERENCES report_schedules(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    province_code TEXT NOT NULL,
    period TEXT NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    due_on TEXT NOT NULL,
    -- the latest submission's state, kept here so consolidation reads one table
    state TEXT NOT NULL DEFAULT 'open',
    submitted_at TEXT,
    late BOOLEAN,
    -- times the receiver returned it
    returns INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (schedule_id, unit_id, period)
);
CREATE INDEX report_requests_period ON report_requests(schedule_id, period);
CREATE INDEX report_requests_unit ON report_requests(unit_id, due_on);
CREATE INDEX report_requests_open ON report_requests(state, due_on);

CREATE TABLE report_submissions (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES report_requests(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    values_json TEXT NOT NULL,
    author_id BIGINT REFERENCES users(id),
    saved_at TEXT NOT NULL,
    submitted_at TEXT,
    late BOOLEAN,
    decided_by BIGINT REFERENCES users(id),
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT '',
    UNIQUE (request_id, version)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    -- one notice per rule and recipient, even across restarts
    dedup_key TEXT NOT NULL UNIQUE,
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX notifications_pending ON notifications(state, next_attempt_at);
CREATE INDEX notifications_province ON notifications(province_code, created_at);

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
-- secret part of the unit's iCalendar feed URL (calendar apps cannot log in)
ALTER TABLE units ADD COLUMN calendar_token TEXT;

-- Public holidays on working days (Labour Code art. 112 and the Government's yearly
-- notices); administrators edit the list in the UI.
INSERT INTO holidays (day, name, created_at) VALUES
    ('2024-01-01', 'Tết Dương lịch', '2026-01-01T00:00:00Z'),
    ('2024-02-08', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2024-02-09', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2024-02-10', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2024-02-11', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2024-02-12', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2024-02-13', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2024-02-14', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2024-04-18', 'Giỗ Tổ Hùng Vương', '2026-01-01T00:00:00Z'),
    ('2024-04-29', 'Nghỉ bù (hoán đổi)', '2026-01-01T00:00:00Z'),
    ('2024-04-30', 'Ngày Chiến thắng', '2026-01-01T00:00:00Z'),
    ('2024-05-01', 'Quốc tế Lao động', '2026-01-01T00:00:00Z'),
    ('2024-09-02', 'Quốc khánh', '2026-01-01T00:00:00Z'),
    ('2024-09-03', 'Quốc khánh', '2026-01-01T00:00:00Z'),
    ('2025-01-01', 'Tết Dương lịch', '2026-01-01T00:00:00Z'),
    ('2025-01-27', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2025-01-28', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2025-01-29', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2025-01-30', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2025-01-31', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2025-04-07', 'Giỗ Tổ Hùng Vương', '2026-01-01T00:00:00Z'),
    ('2025-04-30', 'Ngày Chiến thắng', '2026-01-01T00:00:00Z'),
    ('2025-05-01', 'Quốc tế Lao động', '2026-01-01T00:00:00Z'),
    ('2025-05-02', 'Nghỉ bù (hoán đổi)', '2026-01-01T00:00:00Z'),
    ('2025-09-01', 'Quốc khánh', '2026-01-01T00:00:00Z'),
    ('2025-09-02', 'Quốc khánh', '2026-01-01T00:00:00Z'),
    ('2026-01-01', 'Tết Dương lịch', '2026-01-01T00:00:00Z'),
    ('2026-01-02', 'Nghỉ bù (hoán đổi)', '2026-01-01T00:00:00Z'),
    ('2026-02-16', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2026-02-17', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2026-02-18', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2026-02-19', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2026-02-20', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)', '2026-01-01T00:00:00Z'),
    ('2026-04-30', 'Ngày Chiến thắng', '2026-01-01T00:00:00Z'),
    ('2026-05-01', 'Quốc tế Lao động', '2026-01-01T00:00:00Z'),
    ('2026-09-01', 'Quốc khánh', '2026-01-01T00:00:00Z'),
    ('2026-09-02', 'Quốc khánh', '2026-01-01T00:00:00Z'),
    ('2027-01-01', 'Tết Dương lịch', '2026-01-01T00:00:00Z'),
    ('2027-02-04', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2027-02-05', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2027-02-08', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2027-02-09', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2027-02-10', 'Tết Nguyên đán', '2026-01-01T00:00:00Z'),
    ('2027-04-16', 'Giỗ Tổ Hùng Vương', '2026-01-01T00:00:00Z'),
    ('2027-04-30', 'Ngày Chiến thắng', '2026-01-01T00:00:00Z'),
    ('2027-05-01', 'Quốc tế Lao động', '2026-01-01T00:00:00Z'),
    ('2027-09-02', 'Quốc khánh', '2026-01-01T00:00:00Z'),
    ('2027-09-03', 'Quốc khánh', '2026-01-01T00:00:00Z');
