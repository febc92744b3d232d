//! A small writer of Excel workbooks (SpreadsheetML in a zip): sheets of text and number
//! cells, a bold wrapped header row with borders, column widths, a frozen header.

use super::docx::{esc, zip_files};

#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Number(v)
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Cell {
        Cell::Number(v as f64)
    }
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    /// Title lines above the table (bold).
    pub title: Vec<String>,
    pub header: Vec<String>,
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Cell>>,
}

fn col(mut i: usize) -> String {
    let mut s = Vec::new();
    i += 1;
    while i > 0 {
        let r = (i - 1) % 26;
        s.push(b'A' + r as u8);
        i = (i - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Style ids: 0 plain, 1 header (bold, border, wrap, centred), 2 body cell (border, wrap),
/// 3 title (bold).
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"12\"/><name val=\"Times New Roman\"/></font><font><b/><sz val=\"12\"/><name val=\"Times New Roman\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>\
<border><left style=\"thin\"/><right style=\"thin\"/><top style=\"thin\"/><bottom style=\"thin\"/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>\
<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\"><alignment vertical=\"top\" wrapText=\"1\"/></xf>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>\
</styleSheet>";

fn sheet_xml(s: &Sheet) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
    );
    let header_row = s.title.len() + 1;
    x.push_str(&format!(
        "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"{}\" topLeftCell=\"A{}\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>",
        header_row,
        header_row + 1
    ));
    if !s.widths.is_empty() {
        x.push_str("<cols>");
        for (i, w) in s.widths.iter().enumerate() {
            x.push_str(&format!(
                "<col min=\"{0}\" max=\"{0}\" width=\"{w}\" customWidth=\"1\"/>",
                i + 1
            ));
        }
        x.push_str("</cols>");
    }
    x.push_str("<sheetData>");
    let mut r = 0usize;
    let text_cell = |x: &mut String, r: usize, c: usize, t: &str, style: u8| {
        x.push_str(&format!(
            "<c r=\"{}{}\" t=\"inlineStr\" s=\"{style}\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            col(c),
            r,
            esc(t)
        ));
    };
    for t in &s.title {
        r += 1;
        x.push_str(&format!("<row r=\"{r}\">"));
        text_cell(&mut x, r, 0, t, 3);
        x.push_str("</row>");
    }
    r += 1;
    x.push_str(&format!("<row r=\"{r}\">"));
    for (c, h) in s.header.iter().enumerate() {
        text_cell(&mut x, r, c, h, 1);
    }
    x.push_str("</row>");
    for row in &s.rows {
        r += 1;
        x.push_str(&format!("<row r=\"{r}\">"));
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(t) => text_cell(&mut x, r, c, t, 2),
                Cell::Number(v) => x.push_str(&format!(
                    "<c r=\"{}{}\" s=\"2\"><v>{}</v></c>",
                    col(c),
                    r,
                    v
                )),
                Cell::Empty => x.push_str(&format!("<c r=\"{}{}\" s=\"2\"/>", col(c), r)),
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData><pageSetup paperSize=\"9\" orientation=\"landscape\"/></worksheet>");
    x
}

/// Sheet names: at most 31 characters, none of []:*?/\ .
fn sheet_name(s: &str) -> String {
    s.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

pub fn build(sheets: &[Sheet]) -> Vec<u8> {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut ct = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
    );
    let mut wb = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>",
    );
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>",
    );
    for (i, s) in sheets.iter().enumerate() {
        let n = i + 1;
        ct.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
        wb.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
            esc(&sheet_name(&s.name))
        ));
        rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
        files.push((format!("xl/worksheets/sheet{n}.xml"), sheet_xml(s)));
    }
    ct.push_str("</Types>");
    wb.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let mut all: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), ct),
        (
            "_rels/.rels".into(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
             </Relationships>"
                .into(),
        ),
        ("xl/workbook.xml".into(), wb),
        ("xl/_rels/workbook.xml.rels".into(), rels),
        ("xl/styles.xml".into(), STYLES.into()),
    ];
    all.extend(files);
    let refs: Vec<(&str, String)> = all.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    zip_files(&refs)
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_letters() {
        assert_eq!(super::col(0), "A");
        assert_eq!(super::col(25), "Z");
        assert_eq!(super::col(26), "AA");
    }
}
