-- Breakthrough initiatives (khâu đột phá) and rank commitments. A year's call for
-- registrations is a dispatch (a directive of kind dispatch) naming the units that must
-- register; a registration is a unit's (or, with no unit, the province's own, proposed by a
-- standing agency) and keeps every version it was submitted in; an accepted registration's
-- milestones become tasks of that dispatch, tracked like any other.

CREATE TABLE breakthrough_calls (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    -- the dispatch the accepted milestones are tracked under
    directive_id BIGINT NOT NULL REFERENCES directives(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (province_code, year)
);

CREATE TABLE breakthrough_call_units (
    call_id BIGINT NOT NULL REFERENCES breakthrough_calls(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (call_id, unit_id)
);

CREATE TABLE breakthroughs (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    call_id BIGINT NOT NULL REFERENCES breakthrough_calls(id),
    year BIGINT NOT NULL,
    -- the registering unit; none for one of the province's own
    unit_id BIGINT REFERENCES units(id),
    -- the standing agency that proposed one of the province's own
    proposer_unit_id BIGINT REFERENCES units(id),
    -- cchc, cds, da06
    field TEXT NOT NULL,
    -- draft, submitted, accepted, returned
    state TEXT NOT NULL DEFAULT 'draft',
    -- the version being written or last submitted
    version BIGINT NOT NULL DEFAULT 1,
    -- the committee's decision, for one of the province's own
    decision_ref TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX breakthroughs_one ON breakthroughs(call_id, COALESCE(unit_id, 0), field);
CREATE INDEX breakthroughs_unit ON breakthroughs(unit_id, year);

-- Each version as written; a returned version keeps its reason, the resubmission is the next.
CREATE TABLE breakthrough_versions (
    id INTEGER PRIMARY KEY,
    breakthrough_id BIGINT NOT NULL REFERENCES breakthroughs(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    solutions TEXT NOT NULL DEFAULT '',
    products TEXT NOT NULL DEFAULT '',
    leader TEXT NOT NULL DEFAULT '',
    -- [{criterion, indicator, target}] and [{title, due_on, product}]
    targets_json TEXT NOT NULL DEFAULT '[]',
    milestones_json TEXT NOT NULL DEFAULT '[]',
    saved_by BIGINT REFERENCES users(id),
    saved_at TEXT NOT NULL,
    submitted_at TEXT,
    -- '', accepted, returned
    decision TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users(id),
    decided_at TEXT,
    UNIQUE (breakthrough_id, version)
);

-- The accepted version's milestones and the tasks they became.
CREATE TABLE breakthrough_milestones (
    id INTEGER PRIMARY KEY,
    breakthrough_id BIGINT NOT NULL REFERENCES breakthroughs(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    product TEXT NOT NULL DEFAULT '',
    task_id BIGINT REFERENCES tasks(id)
);
CREATE INDEX breakthrough_milestones_of ON breakthrough_milestones(breakthrough_id);

-- A unit's commitment to a rank (and optionally a score) on the province's index of a year.
CREATE TABLE rank_commitments (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    target_rank BIGINT NOT NULL,
    target_score DOUBLE PRECISION,
    note TEXT NOT NULL DEFAULT '',
    committed_by BIGINT REFERENCES users(id),
    committed_at TEXT NOT NULL,
    UNIQUE (province_code, year, unit_id)
);
