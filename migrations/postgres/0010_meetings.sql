-- Meetings of the steering bodies: one body's or several (a joint meeting), their state
-- history, preparation timeline, agenda, participants and conclusions. A meeting's notice of
-- conclusions is a directive of kind notice (notice_directive_id), so its tasks are tracked
-- like any other.

CREATE TABLE meetings (
    id BIGSERIAL PRIMARY KEY,
    province_code TEXT NOT NULL,
    -- the organising body; a joint meeting lists the others in meeting_bodies
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- the title and the bodies' names folded, for search without diacritics
    title_fold TEXT NOT NULL DEFAULT '',
    chair_member_id BIGINT REFERENCES body_members(id),
    -- the planned day, and the last day of the window when only a window is known
    planned_on TEXT NOT NULL,
    window_end TEXT,
    starts_at TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    online_link TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft',
    -- the reporting period it reviews, and the top schedule of the cascade reporting for it
    period TEXT NOT NULL DEFAULT '',
    schedule_id BIGINT REFERENCES report_schedules(id),
    minutes_text TEXT NOT NULL DEFAULT '',
    notice_directive_id BIGINT REFERENCES directives(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX meetings_province ON meetings(province_code, planned_on);
CREATE INDEX meetings_body ON meetings(body_id, planned_on);

CREATE TABLE meeting_bodies (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    PRIMARY KEY (meeting_id, body_id)
);

-- every change of state, with its reason (postponed, cancelled) and the date then planned
CREATE TABLE meeting_events (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_events_meeting ON meeting_events(meeting_id);

CREATE TABLE meeting_steps (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- units, standing (the standing agencies), secretariat, office
    audience TEXT NOT NULL,
    days_before BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    -- report: a schedule's period; task: a task's assignments; manual: marked done by hand
    link_kind TEXT NOT NULL DEFAULT 'manual',
    schedule_id BIGINT REFERENCES report_schedules(id),
    task_id BIGINT REFERENCES tasks(id),
    done_on TEXT
);
CREATE INDEX meeting_steps_meeting ON meeting_steps(meeting_id);

CREATE TABLE meeting_items (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    presenter_unit_id BIGINT REFERENCES units(id),
    presenter_name TEXT NOT NULL DEFAULT '',
    planned_minutes BIGINT NOT NULL DEFAULT 0,
    -- a document steerco generates for it: followup, consolidated, league, or none
    document TEXT NOT NULL DEFAULT 'none',
    -- a document uploaded for it (a presentation, a draft)
    attachment_id BIGINT REFERENCES attachments(id),
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_items_meeting ON meeting_items(meeting_id);

CREATE TABLE meeting_participants (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    -- a member of one of the bodies, or an invited unit or person (no member)
    member_id BIGINT REFERENCES body_members(id),
    unit_id BIGINT REFERENCES units(id),
    person_name TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    -- '' (not recorded), present, absent, represented (by delegate_name)
    attendance TEXT NOT NULL DEFAULT '',
    delegate_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_participants_meeting ON meeting_participants(meeting_id);
CREATE INDEX meeting_participants_unit ON meeting_participants(unit_id);

CREATE TABLE meeting_conclusions (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    -- information, decision, task
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    -- a task conclusion: lead and coordinating unit ids (comma-separated), deadline, product
    lead_unit_ids TEXT NOT NULL DEFAULT '',
    coordinator_ids TEXT NOT NULL DEFAULT '',
    deadline_text TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    -- the task it became when the notice was issued
    task_id BIGINT REFERENCES tasks(id)
);
CREATE INDEX meeting_conclusions_meeting ON meeting_conclusions(meeting_id);

-- the secret part of a body's meeting calendar URL (iCalendar), as units have theirs
ALTER TABLE bodies ADD COLUMN calendar_token TEXT;
CREATE UNIQUE INDEX bodies_calendar_token ON bodies(calendar_token);
