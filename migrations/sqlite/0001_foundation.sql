-- Foundation schema. Dates are ISO 'YYYY-MM-DD' text, instants are RFC 3339 UTC text,
-- so that the same SQL runs on SQLite and PostgreSQL (see migrations/postgres).

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT,
    name_fold TEXT NOT NULL,
    -- Vietnamese collation key computed in Rust (text::vn_sort_key)
    name_sort TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES units(id),
    province_code TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_province_kind ON units(province_code, kind);

CREATE TABLE unit_successors (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    successor_id BIGINT NOT NULL REFERENCES units(id),
    share TEXT NOT NULL DEFAULT 'whole',
    PRIMARY KEY (unit_id, successor_id)
);

CREATE TABLE unit_groups (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    province_code TEXT NOT NULL,
    -- a built-in group is defined by a unit kind (all departments, all communes);
    -- a custom group lists its members
    member_kind TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE unit_group_members (
    group_id BIGINT NOT NULL REFERENCES unit_groups(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (group_id, unit_id)
);

CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    province_code TEXT NOT NULL,
    standing_unit_id BIGINT REFERENCES units(id),
    meeting_cadence TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE body_members (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    person_name TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    unit_id BIGINT REFERENCES units(id),
    role TEXT NOT NULL,
    domain TEXT NOT NULL DEFAULT ''
);
CREATE INDEX body_members_body ON body_members(body_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    body_id BIGINT REFERENCES bodies(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE directives (
    id INTEGER PRIMARY KEY,
    body_id BIGINT REFERENCES bodies(id),
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    issuer TEXT NOT NULL,
    signer TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    summary_fold TEXT NOT NULL,
    body_text TEXT NOT NULL DEFAULT '',
    parent_id BIGINT REFERENCES directives(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX directives_province ON directives(province_code, issued_on);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    directive_id BIGINT NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
    ref TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    lead_text TEXT NOT NULL DEFAULT '',
    coordinators_text TEXT NOT NULL DEFAULT '',
    deadline_text TEXT NOT NULL DEFAULT '',
    deadline_kind TEXT NOT NULL,
    deadline_due TEXT,
    recurrence TEXT,
    product TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX tasks_directive ON tasks(directive_id);

CREATE TABLE task_coordinators (
    task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);

-- One lead unit's obligation under a task. Its status is computed, never stored.
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- copied from the task and directive so that dashboards read one table
    directive_id BIGINT NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
    body_id BIGINT REFERENCES bodies(id),
    province_code TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    -- effective due date: the task's, or the last approved extension's
    due_on TEXT,
    recurring BOOLEAN NOT NULL DEFAULT FALSE,
    percent INTEGER NOT NULL DEFAULT 0,
    completed_on TEXT,
    review TEXT NOT NULL DEFAULT 'none',
    review_reason TEXT NOT NULL DEFAULT '',
    last_update_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (task_id, unit_id)
);
CREATE INDEX assignments_unit ON assignments(unit_id, due_on);
CREATE INDEX assignments_province ON assignments(province_code, unit_id);
CREATE INDEX assignments_body ON assignments(body_id, unit_id);
CREATE INDEX assignments_task ON assignments(task_id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE progress_updates (
    id INTEGER PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
    period TEXT NOT NULL DEFAULT '',
    author_id BIGINT REFERENCES users(id),
    result TEXT NOT NULL DEFAULT '',
    difficulties TEXT NOT NULL DEFAULT '',
    proposals TEXT NOT NULL DEFAULT '',
    percent INTEGER NOT NULL,
    marks_done BOOLEAN NOT NULL DEFAULT FALSE,
    attachment_id BIGINT REFERENCES attachments(id),
    created_at TEXT NOT NULL
);
CREATE INDEX progress_assignment ON progress_updates(assignment_id, created_at);

CREATE TABLE extensions (
    id INTEGER PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
    requested_by BIGINT REFERENCES users(id),
    requested_due TEXT NOT NULL,
    reason TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT 'pending',
    decided_by BIGINT REFERENCES users(id),
    decision_note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX extensions_assignment ON extensions(assignment_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    username TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
