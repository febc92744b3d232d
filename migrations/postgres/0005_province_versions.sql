-- The version of each province's tracked work, bumped in the transaction of every change that
-- its dashboards show. Kept in the database, not in a server's memory, so that every server on
-- the database drops its cached dashboards when any of them writes.
CREATE TABLE province_versions (
    province_code TEXT PRIMARY KEY,
    version BIGINT NOT NULL DEFAULT 0
);
