//! iCalendar (RFC 5545) feeds: a unit's deadlines — its tasks and its reports — as all-day
//! events its officers subscribe to from their calendar.

pub struct Event {
    pub uid: String,
    pub date: chrono::NaiveDate,
    pub summary: String,
    pub description: String,
    pub url: String,
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
}

pub fn calendar(name: &str, stamp: &str, events: &[Event]) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//steerco//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(l, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    fold("X-WR-TIMEZONE:Asia/Ho_Chi_Minh", &mut out);
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", e.uid), &mut out);
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        fold(
            &format!("DTSTART;VALUE=DATE:{}", e.date.format("%Y%m%d")),
            &mut out,
        );
        fold(
            &format!(
                "DTEND;VALUE=DATE:{}",
                (e.date + chrono::Duration::days(1)).format("%Y%m%d")
            ),
            &mut out,
        );
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        fold(&format!("DESCRIPTION:{}", escape(&e.description)), &mut out);
        if !e.url.is_empty() {
            fold(&format!("URL:{}", e.url), &mut out);
        }
        fold("BEGIN:VALARM", &mut out);
        fold("ACTION:DISPLAY", &mut out);
        fold("TRIGGER:-P1D", &mut out);
        fold(&format!("DESCRIPTION:{}", escape(&e.summary)), &mut out);
        fold("END:VALARM", &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_carriage_return_is_no_line_break_of_the_calendar() {
        assert_eq!(escape("Hạn\rnộp\r\nbáo cáo\n"), "Hạn\\nnộp\\nbáo cáo\\n");
    }

    #[test]
    fn folds_and_escapes() {
        let e = Event {
            uid: "task-1@steerco".into(),
            date: chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
            summary: "Hạn: Vận hành Trung tâm Phục vụ hành chính công cấp xã, thống nhất; kiểm tra"
                .into(),
            description: "dòng 1\ndòng 2".into(),
            url: String::new(),
        };
        let c = calendar("Phường Trấn Biên", "20251122T000000Z", &[e]);
        assert!(c.contains("DTSTART;VALUE=DATE:20250701\r\n"));
        assert!(c.contains("\\, thống nhất\\;"));
        assert!(c.lines().all(|l| l.len() <= 76));
        assert!(c.contains("dòng 1\\ndòng 2"));
    }
}
