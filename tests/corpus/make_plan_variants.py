#!/usr/bin/env python3
"""Writes one plan in the shapes real copies take, with its labels.

The same appendix (Lâm Đồng, Kế hoạch 58/KH-UBND) comes out as a Word table (.docx), a
markdown table with its columns in another order, one cell per line (a PDF or web copy;
empty cells vanish), tab-separated rows (a Word table pasted as text) and a PDF. A second
Word file has a two-level header ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"),
vertically merged lead cells and 1.1-style numbering. Labels are written from the same
rows, so each shape is checked against the same truth.

Needs python-docx and fpdf2 (pip install python-docx fpdf2) and the DejaVu fonts; the
outputs are committed, so the tests need none of this.
"""
import json
import os

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = os.path.dirname(os.path.abspath(__file__))

HEADER_LINES = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH LÂM ĐỒNG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 58/KH-UBND",
    "Lâm Đồng, ngày 15 tháng 01 năm 2026",
    "KẾ HOẠCH",
    "Cải cách hành chính tỉnh Lâm Đồng năm 2026",
    "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;",
    "Căn cứ Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ;",
    "UBND tỉnh ban hành Kế hoạch cải cách hành chính năm 2026 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "- Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 97%; mức độ hài lòng đạt tối thiểu 95%.",
    "- Các nhiệm vụ được triển khai đồng bộ, đúng tiến độ.",
    "II. NHIỆM VỤ",
    "(Chi tiết tại Phụ lục kèm theo)",
]
FOOTER_LINES = [
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Trần Hồng Thái",
]

# (section or None, ref, title, lead, coordinators, deadline, product, expected lead codes,
#  expected deadline kind, expected due)
ROWS = [
    ("I. CẢI CÁCH THỂ CHẾ",),
    ("1", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do tỉnh ban hành", "Sở Tư pháp", "Các sở, ban, ngành", "Quý II/2026", "Báo cáo kết quả rà soát", ["68.STP"], "quarter", "2026-06-30"),
    ("2", "Kiểm tra việc thi hành pháp luật về xử lý vi phạm hành chính", "Sở Tư pháp", "Thanh tra tỉnh; Công an tỉnh", "Trước ngày 30/11/2026", "Báo cáo kiểm tra", ["68.STP"], "date", "2026-11-30"),
    ("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),
    ("3", "Công bố, công khai danh mục thủ tục hành chính sau sắp xếp", "Văn phòng UBND tỉnh", "Các sở, ban, ngành; UBND cấp xã", "Thường xuyên", "100% TTHC được công khai đúng hạn", ["68.VPUBND"], "recurring", None),
    ("4", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Các sở, ban, ngành; UBND các xã, phường", "Sở Khoa học và Công nghệ", "Hằng tháng", "Tỷ lệ số hóa đạt 100%", ["68.SBN", "68.XA"], "recurring", None),
    ("5", "Nâng cao tỷ lệ hồ sơ giải quyết đúng hạn", "UBND cấp xã", "", "Năm 2026", "Tối thiểu 97% hồ sơ đúng hạn", ["68.XA"], "year", "2026-12-31"),
    ("III. CẢI CÁCH TỔ CHỨC BỘ MÁY",),
    ("6", "Sắp xếp, kiện toàn tổ chức bên trong các cơ quan chuyên môn thuộc UBND tỉnh", "Sở Nội vụ", "Các sở, ban, ngành", "Tháng 6/2026", "Quyết định kiện toàn", ["68.SNV"], "month", "2026-06-30"),
    ("7", "Đánh giá, xếp loại chất lượng cán bộ, công chức năm 2026", "Các sở, ban, ngành", "Sở Nội vụ", "15/12/2026", "Kết quả đánh giá", ["68.SBN"], "date", "2026-12-15"),
    ("IV. XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",),
    ("8", "Vận hành Hệ thống thông tin giải quyết thủ tục hành chính tỉnh", "Sở KH&CN", "VNPT Lâm Đồng", "Thường xuyên", "Hệ thống vận hành ổn định", ["68.SKHCN"], "recurring", None),
    ("9", "Triển khai nền tảng họp trực tuyến đến cấp xã", "Sở Khoa học và Công nghệ", "", "Quý III/2026", "Nền tảng được triển khai", ["68.SKHCN"], "quarter", "2026-09-30"),
    ("10", "Tuyên truyền, phổ biến sử dụng dịch vụ công trực tuyến", "Sở Văn hóa, Thể thao và Du lịch", "Các sở, ban, ngành; UBND cấp xã; Tỉnh đoàn", "Định kỳ hằng quý", "Tin, bài tuyên truyền", ["68.SVHTTDL"], "recurring", None),
    ("V. KIỂM TRA, BÁO CÁO",),
    ("11", "Kiểm tra công tác cải cách hành chính tại các sở, ngành, địa phương", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Theo kế hoạch kiểm tra", "Báo cáo kết quả kiểm tra", ["68.SNV"], "dependent", None),
    ("12", "Báo cáo kết quả thực hiện Kế hoạch cải cách hành chính", "Các sở, ban, ngành; UBND cấp xã", "Sở Nội vụ", "Trước ngày 15/6/2026", "Báo cáo 6 tháng, năm", ["68.SBN", "68.XA"], "date", "2026-06-15"),
]

DIRECTIVE = {
    "kind": "plan",
    "number": "58/KH-UBND",
    "date": "2026-01-15",
    "signer": "Trần Hồng Thái",
}


def tasks():
    return [r for r in ROWS if len(r) > 1]


def labels(province="68"):
    out = []
    for r in tasks():
        out.append({
            "title": r[1],
            "lead": r[6],
            "deadline": {"kind": r[7], "due": r[8]},
        })
    return {"province": province, "directive": DIRECTIVE, "tasks": out}


def write_labels(name, lab=None):
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(lab or labels(), f, ensure_ascii=False, indent=2)
        f.write("\n")


def text_doc(table_lines):
    return "\n".join(HEADER_LINES + ["", "Nơi nhận:", "- Như trên;", "- Lưu: VT, SNV."] + FOOTER_LINES +
                     ["", "PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026",
                      "(Kèm theo Kế hoạch số 58/KH-UBND ngày 15/01/2026 của UBND tỉnh Lâm Đồng)"] +
                     table_lines) + "\n"


def merge_across(cell_row):
    first = cell_row.cells[0]
    return first.merge(cell_row.cells[-1])


def docx_table():
    d = Document()
    for l in HEADER_LINES:
        d.add_paragraph(l)
    for l in ["Nơi nhận:", "- Như trên;", "- Lưu: VT, SNV."] + FOOTER_LINES:
        d.add_paragraph(l)
    d.add_paragraph("PHỤ LỤC")
    d.add_paragraph("NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026")
    t = d.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"]):
        c.text = h
    for r in ROWS:
        row = t.add_row()
        if len(r) == 1:
            merge_across(row).text = r[0]
            continue
        for c, v in zip(row.cells, r[:6]):
            c.text = v
    d.save(os.path.join(HERE, "101_ke_hoach_bang_word.docx"))
    write_labels("101_ke_hoach_bang_word")


def markdown():
    lines = ["| TT | Nhiệm vụ | Thời hạn | Đơn vị chủ trì | Đơn vị phối hợp | Kết quả/Sản phẩm |", "|---|---|---|---|---|---|"]
    for r in ROWS:
        if len(r) == 1:
            lines.append(f"| **{r[0]}** | | | | | |")
        else:
            lines.append(f"| {r[0]} | {r[1]} | {r[4]} | {r[2]} | {r[3]} | {r[5]} |")
    with open(os.path.join(HERE, "102_ke_hoach_bang_markdown.txt"), "w") as f:
        f.write(text_doc(lines))
    write_labels("102_ke_hoach_bang_markdown")


def one_cell_per_line():
    lines = ["STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Tiến độ", "Sản phẩm dự kiến"]
    for r in ROWS:
        if len(r) == 1:
            lines.append(r[0])
            continue
        # A long title wraps over two lines, as in a PDF copy.
        title = r[1]
        if len(title) > 55:
            cut = title.rfind(" ", 0, 50)
            lines += [r[0], title[:cut], title[cut + 1:]]
        else:
            lines += [r[0], title]
        lines += [c for c in r[2:6] if c]
    with open(os.path.join(HERE, "103_ke_hoach_moi_o_mot_dong.txt"), "w") as f:
        f.write(text_doc(lines))
    write_labels("103_ke_hoach_moi_o_mot_dong")


def tabs():
    lines = ["STT\tNội dung\tĐơn vị thực hiện\tĐơn vị phối hợp\tThời gian\tSản phẩm"]
    for r in ROWS:
        lines.append(r[0] if len(r) == 1 else "\t".join(r[:6]))
    with open(os.path.join(HERE, "104_ke_hoach_dan_tu_word.txt"), "w") as f:
        f.write(text_doc(lines))
    write_labels("104_ke_hoach_dan_tu_word")


def pdf():
    from fpdf import FPDF
    p = FPDF(format="A4")
    p.add_page()
    p.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    p.set_font("DejaVu", size=10)
    for l in HEADER_LINES + ["Nơi nhận:", "- Như trên;"] + FOOTER_LINES + ["PHỤ LỤC"]:
        p.multi_cell(0, 6, l, new_x="LMARGIN", new_y="NEXT")
    # The appendix as a PDF table: extracted text gives one cell per line.
    for h in ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Sản phẩm"]:
        p.multi_cell(0, 6, h, new_x="LMARGIN", new_y="NEXT")
    for r in ROWS:
        for c in (r if len(r) == 1 else [x for x in r[:6] if x]):
            p.multi_cell(0, 6, c, new_x="LMARGIN", new_y="NEXT")
    p.output(os.path.join(HERE, "105_ke_hoach.pdf"))
    write_labels("105_ke_hoach")


def two_level_header():
    """Gia Lai: "Cơ quan thực hiện" over two columns, a lead merged down over its tasks,
    1.1-style numbers, a department by its pre-2025 name."""
    d = Document()
    for l in ["ỦY BAN NHÂN DÂN", "TỈNH GIA LAI", "Số: 112/KH-UBND", "Gia Lai, ngày 05 tháng 3 năm 2026",
              "KẾ HOẠCH", "Triển khai Đề án 06 năm 2026 trên địa bàn tỉnh"]:
        d.add_paragraph(l)
    t = d.add_table(rows=2, cols=5)
    t.style = "Table Grid"
    h0, h1 = t.rows[0].cells, t.rows[1].cells
    h0[0].merge(h1[0]).text = "TT"
    h0[1].merge(h1[1]).text = "Nhiệm vụ"
    h0[2].merge(h0[3]).text = "Cơ quan thực hiện"
    h1[2].text = "Chủ trì"
    h1[3].text = "Phối hợp"
    h0[4].merge(h1[4]).text = "Thời gian thực hiện"
    rows = [
        ("1", "Làm sạch dữ liệu dân cư", "", "", ""),
        ("1.1", "Rà soát, làm sạch dữ liệu hộ tịch", "Sở Tư pháp", "Công an tỉnh", "Quý I/2026"),
        ("1.2", "Đồng bộ dữ liệu hộ tịch với Cơ sở dữ liệu quốc gia về dân cư", "Sở Tư pháp", "Công an tỉnh", "Trước 30/4/2026"),
        ("2", "Nông nghiệp số", "", "", ""),
        ("2.1", "Cấp mã số vùng trồng trên nền tảng số", "Sở Nông nghiệp và Phát triển nông thôn", "UBND cấp xã", "Trong năm 2026"),
        ("2.2", "Xây dựng cơ sở dữ liệu đất đai", "Sở Nông nghiệp và Phát triển nông thôn", "", "Tháng 9 năm 2026"),
        ("3", "Kết nối dữ liệu y tế với VNeID", "Sở Y tế", "Công an tỉnh; Bảo hiểm xã hội tỉnh", "Hằng quý"),
    ]
    for r in rows:
        cells = t.add_row().cells
        for c, v in zip(cells, r):
            c.text = v
    # The lead of 1.1 runs down over 1.2 (a vertically merged cell); so does 2.1 over 2.2.
    def vmerge(top, below):
        top.merge(below)
    vmerge(t.rows[3].cells[2], t.rows[4].cells[2])
    vmerge(t.rows[6].cells[2], t.rows[7].cells[2])
    d.save(os.path.join(HERE, "106_ke_hoach_tieu_de_hai_tang.docx"))
    lab = {
        "province": "52",
        "directive": {"kind": "plan", "number": "112/KH-UBND", "date": "2026-03-05"},
        "tasks": [
            {"title": "Rà soát, làm sạch dữ liệu hộ tịch", "lead": ["52.STP"], "deadline": {"kind": "quarter", "due": "2026-03-31"}},
            {"title": "Đồng bộ dữ liệu hộ tịch với Cơ sở dữ liệu quốc gia về dân cư", "lead": ["52.STP"], "deadline": {"kind": "date", "due": "2026-04-30"}},
            {"title": "Cấp mã số vùng trồng trên nền tảng số", "lead": ["52.SNNMT"], "deadline": {"kind": "year", "due": "2026-12-31"}},
            {"title": "Xây dựng cơ sở dữ liệu đất đai", "lead": ["52.SNNMT"], "deadline": {"kind": "month", "due": "2026-09-30"}},
            {"title": "Kết nối dữ liệu y tế với VNeID", "lead": ["52.SYT"], "deadline": {"kind": "recurring", "due": None}},
        ],
    }
    write_labels("106_ke_hoach_tieu_de_hai_tang", lab)


def numbered_paragraphs():
    """A notice typed with Word's own numbering: the units at the first depth, their tasks
    one level below; the numbers exist only in Word's numbering, not in the text."""
    d = Document()
    for l in ["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP", "Số: 377/TB-UBND", "Đồng Tháp, ngày 21 tháng 7 năm 2026",
              "THÔNG BÁO", "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về chuyển đổi số tháng 7/2026",
              "Chủ tịch UBND tỉnh giao nhiệm vụ như sau:"]:
        d.add_paragraph(l)

    def numbered(text, level):
        p = d.add_paragraph(text)
        ppr = p._p.get_or_add_pPr()
        num = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), str(level))
        numid = OxmlElement("w:numId")
        numid.set(qn("w:val"), "1")
        num.append(ilvl)
        num.append(numid)
        ppr.append(num)

    numbered("Sở Khoa học và Công nghệ:", 0)
    numbered("Hoàn thành nâng cấp Cổng dịch vụ công của tỉnh trước ngày 31/8/2026.", 1)
    numbered("Tổ chức diễn tập an toàn thông tin trong Quý IV/2026.", 1)
    numbered("Sở Tài chính:", 0)
    numbered("Bố trí kinh phí duy trì các hệ thống thông tin dùng chung.", 1)
    numbered("UBND các xã, phường:", 0)
    numbered("Báo cáo số liệu hồ sơ trực tuyến hằng tháng.", 1)
    d.add_paragraph("Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.")
    d.save(os.path.join(HERE, "107_thong_bao_danh_so_word.docx"))
    lab = {
        "province": "82",
        "directive": {"kind": "notice", "number": "377/TB-UBND", "date": "2026-07-21", "issuer": "UBND tỉnh Đồng Tháp"},
        "tasks": [
            {"title": "Hoàn thành nâng cấp Cổng dịch vụ công của tỉnh", "lead": ["82.SKHCN"], "deadline": {"kind": "date", "due": "2026-08-31"}},
            {"title": "Tổ chức diễn tập an toàn thông tin", "lead": ["82.SKHCN"], "deadline": {"kind": "quarter", "due": "2026-12-31"}},
            {"title": "Bố trí kinh phí duy trì các hệ thống thông tin dùng chung", "lead": ["82.STC"], "deadline": {"kind": "none", "due": None}},
            {"title": "Báo cáo số liệu hồ sơ trực tuyến hằng tháng", "lead": ["82.XA"], "deadline": {"kind": "recurring", "due": None}},
        ],
    }
    write_labels("107_thong_bao_danh_so_word", lab)


def word_template():
    """The usual Word template: the header is a borderless two-column table (issuer and
    number on the left, motto and place-date on the right), the body has paragraphs, and
    the appendix table has merged section rows and a repeated header row."""
    d = Document()
    head = d.add_table(rows=2, cols=2)
    head.rows[0].cells[0].text = "ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH"
    head.rows[0].cells[1].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.rows[1].cells[0].text = "Số: 301/KH-UBND"
    head.rows[1].cells[1].text = "Tây Ninh, ngày 09 tháng 02 năm 2026"
    for l in ["KẾ HOẠCH", "Nâng cao chất lượng dịch vụ công trực tuyến năm 2026",
              "Căn cứ Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ;",
              "I. MỤC TIÊU", "Tỷ lệ hồ sơ trực tuyến toàn trình đạt tối thiểu 60%.",
              "II. TỔ CHỨC THỰC HIỆN",
              "Giao Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch này, báo cáo UBND tỉnh trước ngày 20/12/2026.",
              "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Hồng Thanh", "PHỤ LỤC"]:
        d.add_paragraph(l)
    t = d.add_table(rows=1, cols=5)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"]):
        c.text = h
    rows = [
        ("A", "DỊCH VỤ CÔNG TRỰC TUYẾN"),
        ("1", "Tái cấu trúc quy trình 30 thủ tục hành chính có số lượng hồ sơ lớn", "Văn phòng UBND tỉnh", "Các sở, ban, ngành", "Quý II/2026"),
        ("2", "Hỗ trợ người dân nộp hồ sơ trực tuyến tại bộ phận một cửa", "UBND các xã, phường", "Tỉnh đoàn", "Thường xuyên"),
        ("B", "THANH TOÁN TRỰC TUYẾN"),
        ("3", "Tích hợp thanh toán trực tuyến phí, lệ phí trên Cổng dịch vụ công", "Sở Tài chính", "Ngân hàng Nhà nước khu vực 10", "Tháng 8/2026"),
    ]
    for r in rows:
        row = t.add_row()
        if len(r) == 2:
            row.cells[0].merge(row.cells[-1]).text = r[0] + ". " + r[1]
            continue
        for c, v in zip(row.cells, r):
            c.text = v
    d.save(os.path.join(HERE, "108_ke_hoach_mau_word.docx"))
    lab = {
        "province": "80",
        "directive": {"kind": "plan", "number": "301/KH-UBND", "date": "2026-02-09", "issuer": "UBND tỉnh Tây Ninh",
                      "signer": "Nguyễn Hồng Thanh", "summary": "Nâng cao chất lượng dịch vụ công trực tuyến năm 2026"},
        "tasks": [
            {"title": "Theo dõi, đôn đốc việc thực hiện Kế hoạch này", "lead": ["80.SKHCN"], "deadline": {"kind": "date", "due": "2026-12-20"}},
            {"title": "Tái cấu trúc quy trình 30 thủ tục hành chính", "lead": ["80.VPUBND"], "deadline": {"kind": "quarter", "due": "2026-06-30"}},
            {"title": "Hỗ trợ người dân nộp hồ sơ trực tuyến", "lead": ["80.XA"], "deadline": {"kind": "recurring", "due": None}},
            {"title": "Tích hợp thanh toán trực tuyến phí, lệ phí", "lead": ["80.STC"], "deadline": {"kind": "month", "due": "2026-08-31"}},
        ],
    }
    write_labels("108_ke_hoach_mau_word", lab)


def pdf_grid():
    """A PDF whose appendix is a real grid table: its text layer gives each row's cells on
    one line separated by single spaces, wrapped cells on the next lines."""
    from fpdf import FPDF
    p = FPDF(format="A4")
    p.add_page()
    p.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    p.add_font("DejaVu", "B", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    p.set_font("DejaVu", size=9)
    for l in ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "Số: 12/KH-UBND", "Hà Tĩnh, ngày 05 tháng 3 năm 2026",
              "KẾ HOẠCH", "Số hóa năm 2026"]:
        p.multi_cell(0, 6, l, new_x="LMARGIN", new_y="NEXT")
    rows = [("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"),
            ("1", "Rà soát, chuẩn hóa dữ liệu dân cư phục vụ giải quyết thủ tục hành chính", "Công an tỉnh", "UBND cấp xã", "Quý II/2026"),
            ("2", "Số hóa hồ sơ đất đai", "Sở Nông nghiệp và Môi trường", "", "Tháng 9/2026"),
            ("3", "Vận hành Trung tâm dữ liệu tỉnh", "Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "Thường xuyên"),
            ("4", "Kết nối hệ thống một cửa điện tử với Cổng dịch vụ công quốc gia", "Văn phòng UBND tỉnh", "VNPT Hà Tĩnh", "Trước ngày 30/6/2026")]
    with p.table(col_widths=(10, 70, 40, 40, 25)) as t:
        for r in rows:
            row = t.row()
            for c in r:
                row.cell(c)
    p.output(os.path.join(HERE, "109_ke_hoach_bang_pdf.pdf"))
    lab = {
        "province": "42",
        "directive": {"kind": "plan", "number": "12/KH-UBND", "date": "2026-03-05", "issuer": "UBND tỉnh Hà Tĩnh",
                      "summary": "Số hóa năm 2026"},
        "tasks": [
            {"title": "Rà soát, chuẩn hóa dữ liệu dân cư phục vụ giải quyết thủ tục hành chính", "lead": ["42.CAT"], "deadline": {"kind": "quarter", "due": "2026-06-30"}},
            {"title": "Số hóa hồ sơ đất đai", "lead": ["42.SNNMT"], "deadline": {"kind": "month", "due": "2026-09-30"}},
            {"title": "Vận hành Trung tâm dữ liệu tỉnh", "lead": ["42.SKHCN"], "deadline": {"kind": "recurring", "due": None}},
            {"title": "Kết nối hệ thống một cửa điện tử với Cổng dịch vụ công quốc gia", "lead": ["42.VPUBND"], "deadline": {"kind": "date", "due": "2026-06-30"}},
        ],
    }
    write_labels("109_ke_hoach_bang_pdf", lab)


if __name__ == "__main__":
    pdf_grid()
    word_template()
    numbered_paragraphs()
    docx_table()
    markdown()
    one_cell_per_line()
    tabs()
    pdf()
    two_level_header()
