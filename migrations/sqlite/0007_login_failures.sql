-- Wrong passwords, by the address they came from: the login throttle of every server on the
-- database reads the same record.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_address ON login_failures(address, at);
CREATE INDEX login_failures_user ON login_failures(address, username, at);
