//! A small writer of Word documents (WordprocessingML in a zip): paragraphs of runs, tables,
//! A4 pages with Decree 30/2020 margins, Times New Roman, page numbers centred at the top
//! from page 2. Enough for official reports; opens in Word and LibreOffice.

use std::io::Write;

use zip::write::SimpleFileOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    /// Size in points.
    pub size: u32,
}

#[derive(Debug, Clone)]
pub struct Para {
    pub runs: Vec<Run>,
    pub align: Align,
    /// First-line indent in cm×100 (1 cm = 100).
    pub indent_first: u32,
    pub space_after: u32,
    pub page_break_before: bool,
}

impl Para {
    pub fn new(align: Align) -> Para {
        Para {
            runs: vec![],
            align,
            indent_first: 0,
            space_after: 6,
            page_break_before: false,
        }
    }
    pub fn text(mut self, t: &str, size: u32) -> Para {
        self.runs.push(Run {
            text: t.into(),
            bold: false,
            italic: false,
            underline: false,
            size,
        });
        self
    }
    pub fn bold(mut self, t: &str, size: u32) -> Para {
        self.runs.push(Run {
            text: t.into(),
            bold: true,
            italic: false,
            underline: false,
            size,
        });
        self
    }
    pub fn italic(mut self, t: &str, size: u32) -> Para {
        self.runs.push(Run {
            text: t.into(),
            bold: false,
            italic: true,
            underline: false,
            size,
        });
        self
    }
    pub fn underlined_bold(mut self, t: &str, size: u32) -> Para {
        self.runs.push(Run {
            text: t.into(),
            bold: true,
            italic: false,
            underline: true,
            size,
        });
        self
    }
    pub fn bold_italic(mut self, t: &str, size: u32) -> Para {
        self.runs.push(Run {
            text: t.into(),
            bold: true,
            italic: true,
            underline: false,
            size,
        });
        self
    }
    pub fn indent(mut self) -> Para {
        self.indent_first = 100;
        self
    }
    pub fn after(mut self, pt: u32) -> Para {
        self.space_after = pt;
        self
    }
    pub fn page_break(mut self) -> Para {
        self.page_break_before = true;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Column widths in twentieths of a point (1 cm ≈ 567).
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<Vec<Para>>>,
    pub borders: bool,
    /// Rows repeated at the top of each page.
    pub header_rows: usize,
}

#[derive(Debug, Clone)]
pub enum Block {
    P(Para),
    T(Table),
}

pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            // characters XML 1.0 forbids
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

fn run_xml(r: &Run, out: &mut String) {
    let mut props = String::from("<w:rPr>");
    if r.bold {
        props.push_str("<w:b/>");
    }
    if r.italic {
        props.push_str("<w:i/>");
    }
    if r.underline {
        props.push_str("<w:u w:val=\"single\"/>");
    }
    props.push_str(&format!(
        "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/></w:rPr>",
        r.size * 2
    ));
    // A line break inside a run keeps multi-line text (addresses, narratives) intact.
    for (i, line) in r.text.split('\n').enumerate() {
        out.push_str("<w:r>");
        out.push_str(&props);
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(
            "<w:t xml:space=\"preserve\">{}</w:t></w:r>",
            esc(line)
        ));
    }
}

fn para_xml(p: &Para, out: &mut String) {
    let jc = match p.align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "both",
    };
    out.push_str("<w:p><w:pPr>");
    if p.page_break_before {
        out.push_str("<w:pageBreakBefore/>");
    }
    out.push_str(&format!(
        "<w:spacing w:before=\"0\" w:after=\"{}\" w:line=\"276\" w:lineRule=\"auto\"/>",
        p.space_after * 20
    ));
    if p.indent_first > 0 {
        out.push_str(&format!(
            "<w:ind w:firstLine=\"{}\"/>",
            p.indent_first * 567 / 100
        ));
    }
    out.push_str(&format!("<w:jc w:val=\"{jc}\"/></w:pPr>"));
    for r in &p.runs {
        run_xml(r, out);
    }
    out.push_str("</w:p>");
}

fn table_xml(t: &Table, out: &mut String) {
    let border = if t.borders { "single" } else { "nil" };
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders>\
         <w:top w:val=\"{border}\" w:sz=\"4\"/><w:left w:val=\"{border}\" w:sz=\"4\"/><w:bottom w:val=\"{border}\" w:sz=\"4\"/>\
         <w:right w:val=\"{border}\" w:sz=\"4\"/><w:insideH w:val=\"{border}\" w:sz=\"4\"/><w:insideV w:val=\"{border}\" w:sz=\"4\"/>\
         </w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
        t.widths.iter().sum::<u32>()
    ));
    for w in &t.widths {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    for (i, row) in t.rows.iter().enumerate() {
        out.push_str("<w:tr>");
        if i < t.header_rows {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for (c, cell) in row.iter().enumerate() {
            let w = t.widths.get(c).copied().unwrap_or(1000);
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>"
            ));
            if cell.is_empty() {
                out.push_str("<w:p/>");
            }
            for p in cell {
                para_xml(p, out);
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

/// Writes the blocks as a `.docx` file.
pub fn build(blocks: &[Block]) -> Vec<u8> {
    let mut body = String::new();
    for b in blocks {
        match b {
            Block::P(p) => para_xml(p, &mut body),
            Block::T(t) => {
                table_xml(t, &mut body);
                // Word needs a paragraph between two tables and at the end of a cell.
                body.push_str("<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>");
            }
        }
    }
    // A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; page number
    // in the header from page 2 (the first page has its own, empty, header).
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document {NS}><w:body>{body}<w:sectPr>\
         <w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         <w:titlePg/></w:sectPr></w:body></w:document>"
    );
    let header = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:hdr {NS}><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
         </w:p></w:hdr>"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/>\
         <w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style></w:styles>"
    );
    let files: [(&str, String); 6] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
             <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
             <Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
             </Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
             </Relationships>".to_string(),
        ),
        (
            "word/_rels/document.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
             <Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
             </Relationships>".to_string(),
        ),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
        ("word/header1.xml", header),
    ];
    zip_files(&files)
}

pub fn zip_files(files: &[(&str, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in files {
            // Writing to memory cannot fail short of allocation failure.
            if z.start_file(*name, opts).is_ok() {
                let _ = z.write_all(content.as_bytes());
            }
        }
        let _ = z.finish();
    }
    buf.into_inner()
}

/// The text of a `.docx`, paragraph by paragraph (tables cell by cell, " | " between cells),
/// through the same reader the document import uses. For tests and checks.
pub fn text_of(bytes: &[u8]) -> Option<String> {
    crate::import::source::read(bytes).ok().map(|d| d.text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn characters_xml_forbids_are_left_out() {
        assert_eq!(
            super::esc("Kế\u{FFFE}hoạch\u{FFFF} <1> & \u{1}"),
            "Kếhoạch &lt;1&gt; &amp; "
        );
    }
}
