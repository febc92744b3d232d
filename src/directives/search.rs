//! The province's task list: words, unit, body, directive, status as of a day and a due range,
//! in the order asked, a page at a time — the same read for the page, its `.xlsx` and the API.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Task, TASK_COLS};
use crate::error::{AppError, AppResult};
use crate::store::{Arg, Day, Db, Page};
use crate::tracking::status::{status_sql_case, Status};

/// The list's query as the address carries it (every value text, empty meaning "any"), so a
/// filtered, sorted page can be bookmarked, shared and paged.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct TaskSearch {
    pub q: Option<String>,
    pub unit: Option<String>,
    pub body: Option<String>,
    pub directive: Option<String>,
    pub status: Option<String>,
    pub due_from: Option<String>,
    pub due_to: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

/// The orders a task list can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Newest document first (the default: what arrived last is looked at first).
    #[default]
    Issued,
    DueSoonest,
    DueLatest,
    Title,
    MostOverdue,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Issued,
        Sort::DueSoonest,
        Sort::DueLatest,
        Sort::MostOverdue,
        Sort::Title,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Sort::Issued => "issued",
            Sort::DueSoonest => "due",
            Sort::DueLatest => "-due",
            Sort::Title => "title",
            Sort::MostOverdue => "overdue",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Sort::Issued => "Văn bản mới nhất trước",
            Sort::DueSoonest => "Hạn gần nhất trước",
            Sort::DueLatest => "Hạn xa nhất trước",
            Sort::Title => "Tên nhiệm vụ (A–Z)",
            Sort::MostOverdue => "Nhiều đơn vị quá hạn nhất trước",
        }
    }
    fn order_by(self) -> &'static str {
        match self {
            Sort::Issued => "d.issued_on DESC, t.id",
            // tasks with no due date last, whichever the direction
            Sort::DueSoonest => "(t.deadline_due IS NULL), t.deadline_due, t.id",
            Sort::DueLatest => "(t.deadline_due IS NULL), t.deadline_due DESC, t.id",
            Sort::Title => "t.title_fold, t.id",
            Sort::MostOverdue => "overdue DESC, (t.deadline_due IS NULL), t.deadline_due, t.id",
        }
    }
}

/// A checked [`TaskSearch`].
#[derive(Debug, Default, Clone)]
pub struct TaskFilter {
    pub words: Option<String>,
    pub unit: Option<i64>,
    pub body: Option<i64>,
    pub directive: Option<i64>,
    pub status: Option<Status>,
    pub due_from: Option<Day>,
    pub due_to: Option<Day>,
    pub sort: Sort,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl TaskSearch {
    /// Checks every value; a wrong one is refused on its field with a Vietnamese message.
    pub fn filter(&self) -> AppResult<TaskFilter> {
        let id = |field: &'static str, v: &Option<String>| -> AppResult<Option<i64>> {
            given(v)
                .map(|s| {
                    s.parse::<i64>()
                        .map_err(|_| AppError::invalid(field, "Giá trị lọc không hợp lệ."))
                })
                .transpose()
        };
        let day = |field: &'static str, v: &Option<String>| -> AppResult<Option<Day>> {
            given(v)
                .map(|s| {
                    crate::store::parse_date(s)
                        .map(Day)
                        .ok_or_else(|| AppError::invalid(field, "Ngày phải có dạng dd/mm/yyyy."))
                })
                .transpose()
        };
        let status = given(&self.status)
            .map(|s| {
                Status::parse(s)
                    .ok_or_else(|| AppError::invalid("status", "Tình trạng không hợp lệ."))
            })
            .transpose()?;
        let sort = match given(&self.sort) {
            None => Sort::default(),
            Some(k) => Sort::ALL
                .into_iter()
                .find(|s| s.key() == k)
                .ok_or_else(|| AppError::invalid("sort", "Cách sắp xếp không hợp lệ."))?,
        };
        let f = TaskFilter {
            words: crate::text::like_pattern(self.q.as_deref()),
            unit: id("unit", &self.unit)?,
            body: id("body", &self.body)?,
            directive: id("directive", &self.directive)?,
            status,
            due_from: day("due_from", &self.due_from)?,
            due_to: day("due_to", &self.due_to)?,
            sort,
        };
        if let (Some(a), Some(b)) = (f.due_from, f.due_to) {
            if a > b {
                return Err(AppError::invalid(
                    "due_to",
                    "Ngày cuối của khoảng hạn phải sau ngày đầu.",
                ));
            }
        }
        Ok(f)
    }

    /// The query without its page, for the pager's and the export's links.
    pub fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        let keep = |v: &Option<String>| given(v).map(str::to_string);
        vec![
            ("q", keep(&self.q)),
            ("unit", keep(&self.unit)),
            ("body", keep(&self.body)),
            ("directive", keep(&self.directive)),
            ("status", keep(&self.status)),
            ("due_from", keep(&self.due_from)),
            ("due_to", keep(&self.due_to)),
            ("sort", keep(&self.sort)),
        ]
    }

    /// Whether anything narrows the list (the empty state says so).
    pub fn narrows(&self) -> bool {
        self.pairs()
            .iter()
            .any(|(k, v)| *k != "sort" && v.is_some())
    }
}

/// One task of the list with its document and how its units stand.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskRow {
    #[sqlx(flatten)]
    pub task: Task,
    pub directive_number: String,
    pub directive_summary: String,
    pub directive_issued_on: String,
    /// Units it is assigned to (the unit filtered on only, when there is one).
    pub units: i64,
    pub overdue: i64,
    pub done: i64,
}

impl TaskRow {
    /// How its units stand, in a few words: "2 quá hạn · 1/5 đã xong".
    pub fn standing(&self) -> String {
        if self.units == 0 {
            return "Chưa giao đơn vị".into();
        }
        if self.task.deadline_kind == "recurring" {
            return format!("Thường xuyên · {} đơn vị", self.units);
        }
        let done = format!("{}/{} đã xong", self.done, self.units);
        if self.overdue > 0 {
            format!("{} quá hạn · {done}", self.overdue)
        } else {
            done
        }
    }
}

/// The most rows one export holds (a province's whole list stays well under it).
pub const EXPORT_LIMIT: i64 = 20_000;

/// The tasks of a province matching `f`, statuses as of `as_of`.
pub async fn search_tasks(
    db: &Db,
    province: &str,
    f: &TaskFilter,
    as_of: NaiveDate,
    page: i64,
    per_page: i64,
) -> AppResult<Page<TaskRow>> {
    let as_of = Day(as_of).iso();
    let status = f.status.map(Status::as_str);
    let (due_from, due_to) = (f.due_from.map(|d| d.iso()), f.due_to.map(|d| d.iso()));
    // $1 province, $2 the as-of day; the others in the order the filters are given.
    let mut args = vec![Arg::Text(Some(province)), Arg::Text(Some(&as_of))];
    fn next<'a>(a: Arg<'a>, args: &mut Vec<Arg<'a>>) -> usize {
        args.push(a);
        args.len()
    }
    let mut conds = vec!["d.province_code = $1 AND t.withdrawn_at IS NULL".to_string()];
    // withdrawn assignments count nowhere; withdrawn tasks are off the list
    let of_unit = match f.unit {
        Some(u) => format!(
            " AND a.withdrawn_at IS NULL AND a.unit_id = ${}",
            next(Arg::Int(Some(u)), &mut args)
        ),
        None => " AND a.withdrawn_at IS NULL".to_string(),
    };
    if let Some(w) = f.words.as_deref() {
        let n = next(Arg::Text(Some(w)), &mut args);
        conds.push(format!(
            "(t.title_fold LIKE ${n} OR EXISTS (SELECT 1 FROM assignments a JOIN units u ON u.id = a.unit_id \
             WHERE a.task_id = t.id AND a.withdrawn_at IS NULL AND u.name_fold LIKE ${n}))"
        ));
    }
    if f.unit.is_some() {
        conds.push(format!(
            "EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = t.id{of_unit})"
        ));
    }
    if let Some(b) = f.body {
        let n = next(Arg::Int(Some(b)), &mut args);
        conds.push(format!("d.body_id = ${n}"));
    }
    if let Some(d) = f.directive {
        let n = next(Arg::Int(Some(d)), &mut args);
        conds.push(format!("t.directive_id = ${n}"));
    }
    let case = status_sql_case("$2");
    if let Some(s) = status {
        let n = next(Arg::Text(Some(s)), &mut args);
        conds.push(format!(
            "EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = t.id{of_unit} AND {case} = ${n})"
        ));
    }
    if let Some(d) = due_from.as_deref() {
        let n = next(Arg::Text(Some(d)), &mut args);
        conds.push(format!("t.deadline_due >= ${n}"));
    }
    if let Some(d) = due_to.as_deref() {
        let n = next(Arg::Text(Some(d)), &mut args);
        conds.push(format!("t.deadline_due <= ${n}"));
    }
    let count_of = |what: &str| {
        format!("(SELECT COUNT(*) FROM assignments a WHERE a.task_id = t.id{of_unit}{what})")
    };
    let select = format!(
        "SELECT {TASK_COLS}, d.number AS directive_number, d.summary AS directive_summary, \
         d.issued_on AS directive_issued_on, {} AS units, {} AS overdue, {} AS done",
        count_of(""),
        count_of(&format!(" AND {case} = 'overdue'")),
        count_of(&format!(" AND {case} IN ('done_on_time', 'done_late')")),
    );
    let from_where = format!(
        "FROM tasks t JOIN directives d ON d.id = t.directive_id WHERE {}",
        conds.join(" AND ")
    );
    Ok(crate::store::paged(
        db,
        &select,
        &from_where,
        f.sort.order_by(),
        &args,
        page,
        per_page,
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(pairs: &[(&str, &str)]) -> TaskSearch {
        let q = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        serde_urlencoded::from_str(&q).expect("a query")
    }

    #[test]
    fn empty_values_mean_any_and_dates_are_read_as_written() {
        let f = search(&[
            ("unit", ""),
            ("due_from", "01/07/2026"),
            ("due_to", "2026-12-31"),
        ])
        .filter()
        .expect("valid");
        assert_eq!(f.unit, None);
        assert_eq!(f.due_from.map(|d| d.iso()), Some("2026-07-01".into()));
        assert_eq!(f.due_to.map(|d| d.iso()), Some("2026-12-31".into()));
        assert_eq!(f.sort, Sort::Issued);
    }

    #[test]
    fn a_wrong_value_is_refused_on_its_field() {
        for (field, value) in [
            ("unit", "abc"),
            ("status", "late"),
            ("due_from", "31/02/2026"),
            ("sort", "random"),
        ] {
            let err = search(&[(field, value)]).filter().expect_err("refused");
            assert!(
                format!("{err:?}").contains(field),
                "{field}={value}: {err:?}"
            );
        }
        let err = search(&[("due_from", "01/12/2026"), ("due_to", "01/11/2026")])
            .filter()
            .expect_err("a backwards range");
        assert!(format!("{err:?}").contains("due_to"));
    }

    #[test]
    fn the_pager_keeps_every_filter_but_the_page() {
        let s = search(&[
            ("q", "so hoa"),
            ("status", "overdue"),
            ("sort", "due"),
            ("page", "3"),
        ]);
        let kept: Vec<&str> = s
            .pairs()
            .into_iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k)
            .collect();
        assert_eq!(kept, ["q", "status", "sort"]);
        assert!(s.narrows());
        assert!(!search(&[("sort", "due")]).narrows());
    }
}
