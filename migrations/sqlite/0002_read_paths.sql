-- "What my unit owes" looks up whether an ongoing duty was reported in the current period.
CREATE INDEX progress_assignment_period ON progress_updates(assignment_id, period);

-- Dashboards count a province's assignments by unit and computed status: a covering index
-- lets them read the index alone instead of a million table rows.
DROP INDEX assignments_province;
CREATE INDEX assignments_dashboard ON assignments(province_code, unit_id, issued_on, recurring, completed_on, due_on, body_id);
