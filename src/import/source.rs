//! From the bytes of an uploaded file to a document of lines and tables: plain text (UTF-8
//! or UTF-16), Word `.docx` (paragraphs and real tables, merged cells filled in) and PDF
//! with a text layer. Every failure is an `ImportError` with a message for the user.

use std::io::Read;

use unicode_normalization::UnicodeNormalization;

/// Larger files are refused before any parsing: a directive is a few hundred kilobytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("Tệp rỗng: không có nội dung để đọc.")]
    Empty,
    #[error("Tệp quá lớn ({0:.1} MB); tối đa 10 MB.")]
    TooLarge(f64),
    #[error("Không đọc được tệp: {0}")]
    Unreadable(String),
    #[error("Tệp không phải văn bản (.txt), Word (.docx) hay PDF có lớp chữ.")]
    NotADocument,
    #[error("Tệp PDF không có lớp chữ (bản scan): cần nhận dạng chữ (OCR) trước khi nhập.")]
    NoTextLayer,
    #[error("Định dạng Word cũ (.doc) chưa được hỗ trợ: hãy lưu lại thành .docx.")]
    LegacyWord,
    #[error("Tệp PDF giải nén ra quá lớn (hơn {} MB): có thể là tệp độc hại hoặc toàn ảnh; hãy xuất lại PDF có lớp chữ từ Word.", PDF_INFLATED_LIMIT >> 20)]
    PdfTooLarge,
    #[error("Văn bản có quá nhiều phần ({0} đoạn, bảng hoặc dòng; tối đa {MAX_BLOCKS}): hãy tách thành nhiều tệp.")]
    TooManyParts(usize),
    #[error("Tệp văn bản không dùng mã Unicode (UTF-8), có thể là TCVN3 hoặc VNI: hãy mở và lưu lại với mã UTF-8, hoặc dán nội dung.")]
    NotUnicode,
}

/// A file that cannot be read is the user's input at fault: a field error on the upload.
impl From<ImportError> for crate::error::AppError {
    fn from(e: ImportError) -> Self {
        crate::error::AppError::invalid("file", e.to_string())
    }
}

pub use super::doc::{Block, Doc};

/// Paragraphs, table rows and lines of one document, at most: a plan of hundreds of pages has
/// a few thousand; millions of empty paragraphs in a small .docx are an attack on memory.
pub const MAX_BLOCKS: usize = 50_000;
/// XML nodes of one Word document, at most (the same reason).
const MAX_XML_NODES: u32 = 2_000_000;

/// Reads a file of any supported kind, guessing the kind from its first bytes, and refuses a
/// document of more than `MAX_BLOCKS` parts.
pub fn read(bytes: &[u8]) -> Result<Doc, ImportError> {
    let doc = read_any(bytes)?;
    if doc.blocks.len() > MAX_BLOCKS {
        return Err(ImportError::TooManyParts(doc.blocks.len()));
    }
    Ok(doc)
}

fn read_any(bytes: &[u8]) -> Result<Doc, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge(bytes.len() as f64 / 1048576.0));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_docx(bytes);
    }
    if bytes.starts_with(b"%PDF") {
        let text = read_pdf(bytes)?;
        return Ok(super::layout::from_text(&text));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::LegacyWord);
    }
    let text = decode_text(bytes)?;
    Ok(super::layout::from_text(&text))
}

/// UTF-8 (with or without BOM) or UTF-16 with a BOM; anything with many control bytes is
/// not a text file.
pub fn decode_text(bytes: &[u8]) -> Result<String, ImportError> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)
    } else {
        let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let lossy = String::from_utf8_lossy(b);
                let bad = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
                if bad * 50 > lossy.chars().count() {
                    // Text in an 8-bit Vietnamese code (TCVN3, VNI): letters and spaces, few
                    // control bytes. Binary data has many.
                    let controls = b
                        .iter()
                        .filter(|&&c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t'))
                        .count();
                    let spaces = b.iter().filter(|&&c| c == b' ').count();
                    return Err(if controls * 100 < b.len() && spaces * 20 > b.len() {
                        ImportError::NotUnicode
                    } else {
                        ImportError::NotADocument
                    });
                }
                lossy.into_owned()
            }
        }
    };
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 100 > text.chars().count().max(1) {
        return Err(ImportError::NotADocument);
    }
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(text)
}

fn utf16(b: &[u8], f: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = b.chunks_exact(2).map(|c| f([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

/// The text layer of a PDF. The PDF library panics on some malformed files: that is caught
/// and reported like any unreadable file.
/// What the compressed streams of one PDF may inflate to, together. A PDF's text is small; a
/// 1 MB file holding a stream of 1 GB of zeros is an attack on the server's memory.
pub const PDF_INFLATED_LIMIT: u64 = 128 << 20;
/// The text extracted from one PDF, at most (a plan of hundreds of pages is well below).
const PDF_TEXT_LIMIT: usize = 16 << 20;

/// The bytes every compressed stream of a PDF inflates to, counted without keeping them, up to
/// `limit` (+1): streams are found by their `stream` … `endstream` keywords, so that those
/// inside object streams count as well; a stream that is not zlib counts as nothing.
fn pdf_inflated_size(bytes: &[u8], limit: u64) -> u64 {
    use std::io::Read;
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut total = 0u64;
    let mut at = 0;
    while let Some(s) = find(bytes, b"stream", at) {
        let mut start = s + b"stream".len();
        // "endstream" contains "stream": skip it
        if s >= 3 && &bytes[s - 3..s] == b"end" {
            at = start;
            continue;
        }
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let end = find(bytes, b"endstream", start).unwrap_or(bytes.len());
        let mut z = flate2::read::ZlibDecoder::new(&bytes[start..end]);
        let left = limit + 1 - total.min(limit + 1);
        total += std::io::copy(&mut (&mut z).take(left), &mut std::io::sink()).unwrap_or(0);
        if total > limit {
            return total;
        }
        at = end;
    }
    total
}

fn read_pdf(bytes: &[u8]) -> Result<String, ImportError> {
    if pdf_inflated_size(bytes, PDF_INFLATED_LIMIT) > PDF_INFLATED_LIMIT {
        return Err(ImportError::PdfTooLarge);
    }
    let owned = bytes.to_vec();
    let r = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&owned));
    let text = match r {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => {
            return Err(ImportError::Unreadable(format!(
                "PDF hỏng hoặc được mã hóa ({e})."
            )))
        }
        Err(_) => {
            return Err(ImportError::Unreadable(
                "PDF hỏng hoặc không đọc được.".into(),
            ))
        }
    };
    if text.len() > PDF_TEXT_LIMIT {
        return Err(ImportError::PdfTooLarge);
    }
    if text.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return Err(ImportError::NoTextLayer);
    }
    Ok(text.nfc().collect())
}

fn read_docx(bytes: &[u8]) -> Result<Doc, ImportError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| ImportError::Unreadable("tệp nén hỏng, không phải .docx hợp lệ.".into()))?;
    let mut xml = String::new();
    {
        let mut f = zip.by_name("word/document.xml").map_err(|_| {
            ImportError::Unreadable("không có nội dung Word (word/document.xml).".into())
        })?;
        if f.size() > 4 * MAX_BYTES as u64 {
            return Err(ImportError::TooLarge(f.size() as f64 / 1048576.0));
        }
        f.read_to_string(&mut xml)
            .map_err(|e| ImportError::Unreadable(format!("nội dung Word hỏng ({e}).")))?;
    }
    let tree = roxmltree::Document::parse_with_options(
        &xml,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_XML_NODES,
            ..Default::default()
        },
    )
    .map_err(|e| ImportError::Unreadable(format!("XML của tệp Word không hợp lệ ({e}).")))?;
    let body = tree
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| ImportError::Unreadable("tệp Word không có phần thân.".into()))?;
    let mut doc = Doc::default();
    for child in body.children() {
        if child.has_tag_name((W, "p")) {
            let t = paragraph_text(child);
            for line in t.split('\n') {
                doc.blocks.push(Block::Line(line.nfc().collect()));
            }
        } else if child.has_tag_name((W, "tbl")) {
            doc.blocks.push(Block::Table(table_rows(child)));
        }
    }
    doc.text = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Line(l) => l.clone(),
            Block::Table(rows) => rows
                .iter()
                .map(|r| format!("| {} |", r.join(" | ").replace('\n', " ")))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n");
    if doc.text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(doc)
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A paragraph's text; a list paragraph (Word numbering) gets a marker so that it reads as
/// the list item it is — "1." at the first depth, "-" below — its number being generated
/// by Word and absent from the XML.
fn paragraph_text(p: roxmltree::Node) -> String {
    let mut s = String::new();
    // Word numbers list paragraphs itself; the depth (w:ilvl) is what tells items apart.
    let depth = p
        .children()
        .find(|n| n.has_tag_name((W, "pPr")))
        .and_then(|pp| pp.children().find(|n| n.has_tag_name((W, "numPr"))))
        .map(|num| {
            num.children()
                .find(|n| n.has_tag_name((W, "ilvl")))
                .and_then(|l| l.attribute((W, "val")))
                .and_then(|v| v.parse::<u8>().ok())
                .unwrap_or(0)
        });
    for n in p.descendants() {
        if n.has_tag_name((W, "t")) {
            s.push_str(n.text().unwrap_or(""));
        } else if n.has_tag_name((W, "tab")) {
            s.push('\t');
        } else if n.has_tag_name((W, "br")) || n.has_tag_name((W, "cr")) {
            s.push('\n');
        }
    }
    match depth {
        Some(0) if !s.trim().is_empty() => format!("1. {}", s.trim()),
        Some(_) if !s.trim().is_empty() => format!("- {}", s.trim()),
        _ => s,
    }
}

fn attr<'a>(n: roxmltree::Node<'a, 'a>, tag: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children()
        .find(|c| c.has_tag_name((W, "tcPr")))
        .and_then(|pr| pr.children().find(|c| c.has_tag_name((W, tag))))
}

/// Rows of a Word table, cells repeated over their horizontal span and vertically merged
/// cells filled with the text of the cell they continue.
fn table_rows(tbl: roxmltree::Node) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for tr in tbl.children().filter(|n| n.has_tag_name((W, "tr"))) {
        let mut row: Vec<String> = Vec::new();
        for tc in tr.children().filter(|n| n.has_tag_name((W, "tc"))) {
            let text = tc
                .children()
                .filter(|n| n.has_tag_name((W, "p")) || n.has_tag_name((W, "tbl")))
                .map(|n| {
                    if n.has_tag_name((W, "p")) {
                        paragraph_text(n)
                    } else {
                        n.descendants()
                            .filter(|d| d.has_tag_name((W, "p")))
                            .map(paragraph_text)
                            .collect::<Vec<_>>()
                            .join("\n")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                .nfc()
                .collect::<String>();
            let span: usize = attr(tc, "gridSpan")
                .and_then(|g| g.attribute((W, "val")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
                .clamp(1, 50);
            let continues =
                attr(tc, "vMerge").is_some_and(|v| v.attribute((W, "val")) != Some("restart"));
            let col = row.len();
            let text = if continues && text.trim().is_empty() {
                rows.last()
                    .and_then(|r| r.get(col))
                    .cloned()
                    .unwrap_or_default()
            } else {
                text
            };
            row.push(text);
            for _ in 1..span {
                row.push(String::new());
            }
        }
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small PDF whose one content stream inflates to `size` bytes of zeros.
    fn pdf_with_stream_of(size: usize) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let chunk = vec![0u8; 1 << 20];
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len());
            z.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
        let data = z.finish().unwrap();
        let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n".to_vec();
        pdf.extend(
            format!(
                "4 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n",
                data.len()
            )
            .as_bytes(),
        );
        pdf.extend(&data);
        pdf.extend(b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        pdf
    }

    #[test]
    fn a_document_of_millions_of_parts_is_refused() {
        let lines = "Nhiệm vụ rà soát thủ tục\n".repeat(MAX_BLOCKS + 10);
        assert!(matches!(
            read(lines.as_bytes()),
            Err(ImportError::TooManyParts(_))
        ));
        // a small .docx of millions of empty paragraphs
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        zip.write_all(br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#).unwrap();
        zip.write_all(&b"<w:p/>".repeat(MAX_XML_NODES as usize + 1))
            .unwrap();
        zip.write_all(b"</w:body></w:document>").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
        assert!(matches!(read(&bytes), Err(ImportError::Unreadable(_))));
    }

    #[test]
    fn a_pdf_bomb_is_refused_before_it_is_inflated() {
        let bomb = pdf_with_stream_of((PDF_INFLATED_LIMIT + (1 << 20)) as usize);
        assert!(bomb.len() < MAX_BYTES, "the bomb is a small upload");
        assert_eq!(
            pdf_inflated_size(&bomb, PDF_INFLATED_LIMIT),
            PDF_INFLATED_LIMIT + 1,
            "counting stops past the limit"
        );
        assert!(matches!(read(&bomb), Err(ImportError::PdfTooLarge)));
        let small = pdf_with_stream_of(4096);
        assert_eq!(pdf_inflated_size(&small, PDF_INFLATED_LIMIT), 4096);
        assert!(!matches!(read(&small), Err(ImportError::PdfTooLarge)));
    }

    #[test]
    fn encodings_and_refusals() {
        assert!(matches!(read(b""), Err(ImportError::Empty)));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Kế hoạch số 1".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert!(read(&utf16).is_ok_and(|d| d.text.contains("Kế hoạch")));
        // "Kế hoạch" in TCVN3 (ABC): Vietnamese letters on single high bytes.
        let tcvn3 = b"K\xd5 ho\xb9ch c\xb7i c\xb8ch h\xb5nh ch\xddnh n\xa8m 2026 c\xf1a t\xd8nh";
        assert!(matches!(read(tcvn3), Err(ImportError::NotUnicode)));
        let binary: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(read(&binary), Err(ImportError::NotADocument)));
        assert!(matches!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 1, 2]),
            Err(ImportError::LegacyWord)
        ));
        assert!(matches!(
            read(&vec![b'a'; MAX_BYTES + 1]),
            Err(ImportError::TooLarge(_))
        ));
    }
}
