//! `steerco bench-import`: how long reading a 50-page plan takes (goal: under 50 ms).
//!
//! The plan is built from example 001's own shapes — Decree 30 header, legal bases, prose
//! sections with unit paragraphs, and an appendix flattened one cell per line with `|` —
//! repeated until it is `pages` pages long (3,000 characters a page). Each shape is timed
//! over several runs, beside one pass of `text::fold` over the same text, so the figure
//! can also be read as a ratio that does not depend on the machine's load.

use std::time::{Duration, Instant};

use crate::import::units::Registry;

const PAGE_CHARS: usize = 3000;

const UNITS: &[&str] = &[
    "Sở Nội vụ",
    "Văn phòng UBND tỉnh",
    "Các sở, ban, ngành",
    "UBND cấp xã",
    "Sở Khoa học và Công nghệ",
    "Sở Tư pháp; Văn phòng UBND tỉnh",
    "Công an tỉnh",
    "Sở Tài chính",
];
const DEADLINES: &[&str] = &[
    "Thường xuyên",
    "Trước ngày 31/01/2025",
    "Quý II/2025",
    "Tháng 6/2025",
    "Năm 2025",
    "Theo Kế hoạch UBND tỉnh",
    "Hằng tháng",
];

/// A plan of about `pages` pages: (text flattened as copied from the web, as markdown).
pub fn plan(pages: usize) -> (String, String) {
    let mut head = String::from(
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
         Số: 404/KH-UBND\nĐồng Nai, ngày 30 tháng 12 năm 2024\nKẾ HOẠCH\nKiểm soát thủ tục hành chính tỉnh Đồng Nai năm 2025\n",
    );
    for i in 0..12 {
        head.push_str(&format!(
            "Căn cứ Nghị định số {i}/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử;\n"
        ));
    }
    head.push_str("I. MỤC ĐÍCH, YÊU CẦU\n- Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 97%.\nII. TỔ CHỨC THỰC HIỆN\n");
    let mut n = 0;
    let mut prose = String::new();
    while prose.len() < pages * PAGE_CHARS / 3 {
        let unit = UNITS[n % UNITS.len()];
        prose.push_str(&format!(
            "{}. {unit} chủ trì, phối hợp với Sở Nội vụ và các cơ quan, đơn vị có liên quan rà soát, đánh giá, đề xuất phương án đơn giản hóa thủ tục hành chính nhóm {n}, hoàn thành trước ngày 30/6/2025.\n\
             - Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 97%; mức độ hài lòng của người dân đạt tối thiểu 95%, theo Quyết định số 766/QĐ-TTg ngày 23/6/2022.\n",
            n % 9 + 1
        ));
        n += 1;
    }
    let header = [
        "Stt",
        "Tên nhiệm vụ",
        "Đơn vị chủ trì",
        "Cơ quan, đơn vị phối hợp",
        "Thời gian hoàn thành",
        "Sản phẩm dự kiến",
    ];
    let mut flat = format!("{head}{prose}NỘI DUNG NHIỆM VỤ CỤ THỂ\n|\n");
    let mut md = format!(
        "{head}{prose}| {} |\n|---|---|---|---|---|---|\n",
        header.join(" | ")
    );
    for h in header {
        flat.push_str(&format!("{h} |\n"));
    }
    let mut row = 0;
    while flat.len() < pages * PAGE_CHARS * 4 / 3 {
        row += 1;
        if row % 25 == 1 {
            let section = format!("NHÓM NHIỆM VỤ SỐ {}", row / 25 + 1);
            flat.push_str(&format!("|\n{section} |\n|||||\n"));
            md.push_str(&format!("| {section} | | | | | |\n"));
        }
        let cells = [
            row.to_string(),
            format!("Rà soát, công bố, công khai thủ tục hành chính thuộc thẩm quyền giải quyết, lĩnh vực số {row}, trên Cơ sở dữ liệu quốc gia"),
            UNITS[row % UNITS.len()].to_string(),
            UNITS[(row + 3) % UNITS.len()].to_string(),
            DEADLINES[row % DEADLINES.len()].to_string(),
            "100% TTHC được công bố, công khai đúng hạn".to_string(),
        ];
        flat.push_str("|\n");
        for c in &cells {
            flat.push_str(&format!("{c} |\n"));
        }
        md.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    flat.push_str("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nVõ Tấn Đức\n");
    md.push_str("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nVõ Tấn Đức\n");
    (flat, md)
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs the benchmark and prints its figures.
pub fn run(pages: usize, runs: usize) -> Result<(), crate::import::ImportError> {
    let runs = runs.max(3);
    let reg = Registry::embedded("75")
        .ok_or_else(|| crate::import::ImportError::Unreadable("no registry".into()))?;
    let (flat, md) = plan(pages);
    println!("Đọc một kế hoạch {pages} trang ({runs} lần mỗi dạng; mục tiêu < 50 ms):");
    for (name, text) in [
        ("dạng sao chép từ web (ô một dòng, '|')", &flat),
        ("bảng markdown", &md),
    ] {
        let mut parse = Vec::new();
        let mut fold = Vec::new();
        let mut tasks = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let doc = crate::import::source::read(text.as_bytes())?;
            let x = crate::import::analyse(&doc, &|_| Some(reg.clone()), Some("75"), true);
            parse.push(t.elapsed());
            tasks = x.tasks.len();
            let t = Instant::now();
            std::hint::black_box(crate::text::fold(text));
            fold.push(t.elapsed());
        }
        let (p50, p95) = (percentile(&mut parse, 0.5), percentile(&mut parse, 0.95));
        let f50 = percentile(&mut fold, 0.5);
        println!(
            "  {name}: {} KB, {tasks} nhiệm vụ — p50 {:.1} ms, p95 {:.1} ms ({:.2} × mục tiêu); \
             bằng {:.0} lần một lượt bỏ dấu toàn văn ({:.2} ms)",
            text.len() / 1024,
            ms(p50),
            ms(p95),
            ms(p95) / 50.0,
            p50.as_secs_f64() / f50.as_secs_f64().max(1e-9),
            ms(f50)
        );
    }
    Ok(())
}
