-- Indicators from the province's one-stop data: the compact state of every dossier and
-- feedback item per unit (what imports upsert by code), counts per unit and calendar month
-- of receipt (what scorecards read), the imports themselves with their bad rows, targets
-- per unit or group and year, and values reported by units in their submissions.

CREATE TABLE dossier_state (
    kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    records BIGINT NOT NULL,
    -- dossiers::state::UnitState, encoded
    data BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, unit_code)
);

CREATE TABLE dossier_months (
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    month TEXT NOT NULL,
    received BIGINT NOT NULL,
    received_online BIGINT NOT NULL,
    full_online BIGINT NOT NULL,
    finished BIGINT NOT NULL,
    finished_on_time BIGINT NOT NULL,
    in_progress BIGINT NOT NULL,
    in_progress_overdue BIGINT NOT NULL,
    digitized BIGINT NOT NULL,
    e_result BIGINT NOT NULL,
    reused_data BIGINT NOT NULL,
    fee_required BIGINT NOT NULL,
    paid_online BIGINT NOT NULL,
    rated BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    finished_well BIGINT NOT NULL,
    PRIMARY KEY (unit_code, month)
);
CREATE INDEX dossier_months_province ON dossier_months(province_code, month);
CREATE INDEX dossier_months_month ON dossier_months(month);

CREATE TABLE feedback_months (
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    month TEXT NOT NULL,
    received BIGINT NOT NULL,
    resolved BIGINT NOT NULL,
    resolved_on_time BIGINT NOT NULL,
    in_progress BIGINT NOT NULL,
    in_progress_overdue BIGINT NOT NULL,
    rated BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    unsatisfied BIGINT NOT NULL,
    repeat BIGINT NOT NULL,
    well_handled BIGINT NOT NULL,
    PRIMARY KEY (unit_code, month)
);
CREATE INDEX feedback_months_province ON feedback_months(province_code, month);
CREATE INDEX feedback_months_month ON feedback_months(month);

-- The same counts summed per province and month, rewritten by each import for the provinces
-- it touched: the country's scorecard reads 34 × 12 rows instead of every unit's.
CREATE TABLE dossier_province_months (
    province_code TEXT NOT NULL,
    month TEXT NOT NULL,
    received BIGINT NOT NULL,
    received_online BIGINT NOT NULL,
    full_online BIGINT NOT NULL,
    finished BIGINT NOT NULL,
    finished_on_time BIGINT NOT NULL,
    in_progress BIGINT NOT NULL,
    in_progress_overdue BIGINT NOT NULL,
    digitized BIGINT NOT NULL,
    e_result BIGINT NOT NULL,
    reused_data BIGINT NOT NULL,
    fee_required BIGINT NOT NULL,
    paid_online BIGINT NOT NULL,
    rated BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    finished_well BIGINT NOT NULL,
    PRIMARY KEY (province_code, month)
);
CREATE TABLE feedback_province_months (
    province_code TEXT NOT NULL,
    month TEXT NOT NULL,
    received BIGINT NOT NULL,
    resolved BIGINT NOT NULL,
    resolved_on_time BIGINT NOT NULL,
    in_progress BIGINT NOT NULL,
    in_progress_overdue BIGINT NOT NULL,
    rated BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    unsatisfied BIGINT NOT NULL,
    repeat BIGINT NOT NULL,
    well_handled BIGINT NOT NULL,
    PRIMARY KEY (province_code, month)
);

CREATE TABLE dossier_imports (
    id INTEGER PRIMARY KEY,
    -- NULL: an import over the whole country (administrator, CLI)
    province_code TEXT,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    status TEXT NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    rows_kept BIGINT NOT NULL DEFAULT 0,
    rows_bad BIGINT NOT NULL DEFAULT 0,
    units_changed BIGINT NOT NULL DEFAULT 0,
    -- the first bad rows, as JSON [{line, reason}]
    errors_json TEXT NOT NULL DEFAULT '[]',
    message TEXT NOT NULL DEFAULT '',
    by_user_id BIGINT REFERENCES users(id),
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX dossier_imports_province ON dossier_imports(province_code, id);

CREATE TABLE indicator_targets (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    indicator TEXT NOT NULL,
    year INTEGER NOT NULL,
    -- one of: a unit, a group, or neither (the whole province)
    unit_id BIGINT REFERENCES units(id),
    group_id BIGINT REFERENCES unit_groups(id) ON DELETE CASCADE,
    target DOUBLE PRECISION NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX indicator_targets_scope
    ON indicator_targets(province_code, indicator, year, COALESCE(unit_id, 0), COALESCE(group_id, 0));

-- Scorecards a province defines beside Decision 766: groups of weighted indicators, as
-- JSON (indicators::Group), checked like the catalogue's.
CREATE TABLE scorecards (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    groups_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (province_code, code)
);

CREATE TABLE indicator_values (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    indicator TEXT NOT NULL,
    -- the calendar month the value is for, 'YYYY-MM'
    month TEXT NOT NULL,
    numerator DOUBLE PRECISION NOT NULL,
    denominator DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL,
    submission_id BIGINT,
    recorded_at TEXT NOT NULL,
    UNIQUE (unit_id, indicator, month)
);
CREATE INDEX indicator_values_province ON indicator_values(province_code, month);
