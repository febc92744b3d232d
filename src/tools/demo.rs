//! The demo province: Đồng Nai with its real 95 communes, its departments, the Project 06
//! working group of example 000, and the tasks of Plan 404/KH-UBND (example 001) and
//! notice 293/TB-UBND (example 004) with realistic progress. Seeded once, on an empty database.

use crate::auth::{repo as users, Actor, Role};
use crate::bodies::{self, BodyInput, MemberInput};
use crate::directives::{self, DirectiveInput, TaskInput};
use crate::error::{AppError, AppResult};
use crate::org;
use crate::store::Db;
use crate::with_db;

pub const PROVINCE: &str = "75";
pub const DEMO_PASSWORD: &str = "demo12345";

/// The demo accounts: (username, full name, role, unit code).
pub const ACCOUNTS: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin", "Quản trị hệ thống", Role::Admin, None),
    (
        "thuky",
        "Nguyễn Thị Thư (Thư ký, Sở Nội vụ)",
        Role::Secretariat,
        Some("75.SNV"),
    ),
    (
        "canbo.snv",
        "Trần Văn Nam (Sở Nội vụ)",
        Role::Officer,
        Some("75.SNV"),
    ),
    (
        "canbo.skhcn",
        "Lê Thị Hoa (Sở KH&CN)",
        Role::Officer,
        Some("75.SKHCN"),
    ),
    (
        "canbo.tranbien",
        "Phạm Minh Tuấn (Phường Trấn Biên)",
        Role::Officer,
        Some("26041"),
    ),
    ("lanhdao", "Lãnh đạo UBND tỉnh", Role::Leader, Some("75")),
];

pub async fn is_empty(db: &Db) -> AppResult<bool> {
    let (n,): (i64,) = with_db!(db, |p| sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(p)
        .await)?;
    Ok(n == 0)
}

async fn unit_id(db: &Db, code: &str) -> AppResult<i64> {
    org::find_unit_by_code(db, code)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| {
            crate::error::AppError::Internal(anyhow::anyhow!("demo unit {code} missing"))
        })
}

async fn group_id(db: &Db, code: &str) -> AppResult<i64> {
    let (id,): (i64,) = with_db!(db, |p| sqlx::query_as(
        "SELECT id FROM unit_groups WHERE code = $1"
    )
    .bind(code)
    .fetch_one(p)
    .await)?;
    Ok(id)
}

/// A task row of the examples: (ref, title, lead units, lead groups, lead as written,
/// coordinators, coordinators as written, deadline as written, product).
type Row = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
);

const PLAN_404: &[Row] = &[
    ("I.1", "Đề xuất cắt giảm, đơn giản hóa TTHC, quy định kinh doanh trên Cổng Tham vấn và Tra cứu quy định kinh doanh", &[], &["SBN"], "Các sở, ban, ngành", &["VPUBND"], "Văn phòng UBND tỉnh", "Thường xuyên", "Dữ liệu đề xuất cập nhật"),
    ("I.2", "Thẩm tra các đề án, dự án, dự thảo văn bản quy phạm pháp luật có quy định về TTHC do địa phương ban hành", &["STP", "VPUBND"], &[], "Sở Tư pháp; Văn phòng UBND tỉnh", &[], "Các sở, ban, ngành", "Thường xuyên", "Văn bản thẩm tra"),
    ("I.3", "Hướng dẫn, theo dõi, đôn đốc, kiểm tra các sở ban ngành và UBND các huyện, thành phố xây dựng kế hoạch và tổ chức thực hiện kế hoạch cải cách, kiểm soát TTHC, thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết TTHC và thực hiện TTHC trên môi trường điện tử", &["VPUBND"], &[], "Văn phòng UBND tỉnh", &[], "Các Sở, ban ngành; UBND các huyện", "Trước ngày 31/01/2025", "Kế hoạch kiểm soát thủ tục hành chính năm 2024 của đơn vị, địa phương"),
    ("I.4", "Cập nhật các quy định liên quan về công tác kiểm soát thủ tục hành chính do trung ương ban hành", &["VPUBND"], &[], "Văn phòng UBND tỉnh", &[], "Các sở, ban, ngành tỉnh, UBND cấp huyện, xã", "Thường xuyên", "Quyết định của Chủ tịch UBND tỉnh"),
    ("I.5", "Kiện toàn Hệ thống cán bộ đầu mối thực hiện nhiệm vụ Kiểm soát thủ tục hành chính cấp tỉnh, cấp huyện, cấp xã.", &["VPUBND"], &["XA"], "Văn phòng UBND tỉnh; UBND các huyện, thành phố", &[], "Các sở, ban, ngành tỉnh, UBND cấp xã", "Thường xuyên", "Quyết định của Chủ tịch UBND tỉnh, UBND cấp huyện"),
    ("I.6", "Nghiên cứu giải pháp, sáng kiến, mô hình trong cải cách TTHC; đề xuất nhân rộng mô hình mới, cách làm hay trong cải cách, kiểm soát TTHC trình cấp có thẩm quyền quyết định.", &[], &["SBN", "XA"], "Các Sở, ban ngành, UBND cấp huyện", &["VPUBND"], "Văn phòng UBND tỉnh", "Thường xuyên", "Các giải pháp, mô hình, cách làm hay được phê duyệt"),
    ("I.7", "Tăng tỷ lệ hài lòng của người dân trong việc TTHC và đánh giá Cán bộ, Công chức khi thực hiện giải quyết TTHC", &[], &["SBN", "XA"], "Các sở, ban ngành, UBND cấp huyện", &["SNV", "VPUBND"], "Sở Nội vụ, Văn phòng UBND tỉnh", "Thường xuyên", "Đạt 94% trở lên tỷ lệ hài lòng của người dân"),
    ("I.8", "TTHC được rà soát, công bố, công khai đúng hạn trên Cơ sở dữ liệu quốc gia về TTHC, Cổng thông tin điện tử sở, ban ngành và UBND cấp huyện", &[], &["SBN"], "Các sở, ban ngành tỉnh", &["VPUBND"], "Văn phòng UBND tỉnh", "Thường xuyên", "100% TTHC được công bố, công khai đúng hạn"),
    ("I.9", "Nâng cao hiệu quả, chất lượng dịch vụ công trực tuyến, về giải quyết thủ tục hành chính, về sự phục vụ của cơ quan hành chính nhà nước", &[], &["SBN", "XA"], "Các sở, ban ngành tỉnh; UBND cấp huyện", &["VPUBND", "SKHCN", "SNV"], "Văn phòng UBND tỉnh; Sở Thông tin và Truyền thông; Sở Nội vụ", "Thường xuyên", "Tối thiểu 95% tỷ lệ hài lòng của người dân khi thực hiện TTHC, DVCTT"),
    ("I.10", "Ban hành quy trình điện tử, cấu hình trên Hệ thống thông tin giải quyết TTHC của tỉnh", &[], &["SBN"], "Các sở, ban ngành", &["VPUBND"], "Văn phòng UBND tỉnh", "Thường xuyên", "100% TTHC ban hành quy trình nội bộ/ điện tử"),
    ("I.11", "Công khai hồ sơ mẫu, thủ tục hành chính trên Cổng dịch vụ công của tỉnh, trang thông tin điện tử của đơn vị", &[], &["SBN", "XA"], "Các sở, ban ngành, UBND cấp huyện", &["VPUBND", "SKHCN"], "Văn phòng UBND tỉnh; Sở Thông tin và Truyền thông", "Thường xuyên", "100% TTHC thuộc thẩm quyền giải quyết được công khai và có hồ sơ mẫu hướng dẫn thực hiện"),
    ("I.12", "Tiếp tục nâng cao chất lượng hoạt động tại Trung tâm", &["VPUBND"], &[], "Văn phòng UBND", &[], "Các Sở, ban", "Thường", "Đạt 95 % trở lên tỷ lệ"),
    ("I.19", "Tiếp tục triển khai tiện ích SMS, ZMS, email thông tin kết quả giải quyết hồ sơ, nghĩa vụ tài chính, khảo sát ý kiến người dân", &["VPUBND"], &[], "Văn phòng UBND tỉnh", &["SKHCN"], "Sở Thông tin và Truyền thông", "Thường xuyên", "Các tiện ích được hoàn thiện và triển khai"),
    ("I.20", "Thực hiện các chương trình đối thoại để giải quyết kịp thời các khó khăn, vướng mắc của doanh nghiệp", &["SNV"], &[], "Sở Nội vụ", &[], "Các Sở, ngành, UBND cấp huyện", "Theo Kế hoạch UBND tỉnh", "Các chương trình đối thoại"),
    ("I.21", "Duy trì, khai thác, sử dụng hiệu quả hệ thống giám sát (camera) tập trung các xã, huyện về tỉnh để quản lý, kiểm tra, giám sát hoạt động của Bộ phận 1 cửa cấp huyện, xã", &["VPUBND"], &[], "Văn phòng UBND tỉnh", &[], "UBND cấp huyện", "Thường xuyên", "Hệ thống giám sát BPMC hoạt động ổn định"),
    ("I.22", "100% thủ tục hành chính thuộc thẩm quyền giải quyết cấp tỉnh, huyện, xã có đủ điều kiện, được cung cấp trực tuyến một phần và toàn trình được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia, đồng bộ Cổng Dịch vụ công của tỉnh.", &[], &["SBN", "XA"], "Các Sở, ban ngành, UBND cấp huyện", &["SKHCN", "VPUBND"], "Sở Thông tin và Truyền thông, Văn phòng UBND tỉnh", "Thường xuyên", "Danh mục DVC trực tuyến toàn trình, một phần"),
    ("I.23", "Đẩy mạnh công tác tuyên truyền sử dụng dịch vụ công trực tuyến trên địa bàn tỉnh", &[], &["SBN", "XA"], "Các sở, ban ngành, UBND cấp huyện", &["VPUBND", "SKHCN"], "Văn phòng UBND tỉnh, Sở Thông tin và Truyền thông", "Thường xuyên", "Các văn bản triển khai công tác tuyên truyền"),
    ("I.24", "Tăng tỷ lệ hài lòng của người dân khi sử dụng dịch vụ công trực tuyến", &[], &["SBN", "XA"], "Các sở, ban ngành, UBND cấp huyện", &["SKHCN", "VPUBND"], "Sở Thông tin và Truyền thông, Văn phòng UBND tỉnh", "Thường xuyên", "Đạt 95% trở lên tỷ lệ hài lòng của người dân"),
    ("II.1", "Tăng cường trách nhiệm của các đơn vị, địa phương trong xử lý các phản ánh, kiến nghị của người dân, doanh nghiệp trên Cổng dịch vụ công quốc gia, Tổng đài Dịch vụ công 1022 của tỉnh và phúc đáp của chính quyền qua Cổng Thông tin điện tử của tỉnh", &[], &["SBN", "XA"], "Các Sở, ngành, UBND cấp huyện", &["VPUBND"], "Văn phòng UBND tỉnh", "Thường xuyên", "- 97% PAKN xử lý dứt điểm, đúng hạn; - 95% người dân hài lòng về giải quyết PAKN"),
    ("II.2", "Công khai kết quả giải quyết PAKN trên Cổng dịch vụ công quốc gia; Tổng đài Dịch vụ công 1022 của tỉnh", &["VPUBND"], &[], "Văn phòng UBND tỉnh", &[], "Các Sở, ngành, UBND cấp huyện", "Thường xuyên", "100% nội dung giải quyết được công khai"),
    ("II.3", "Kiện toàn hoạt động, năng lực Tổng đài viên Tổng đài Dịch vụ công 1022 tỉnh và hệ thống công nghệ hỗ trợ", &["VPUBND"], &[], "Văn phòng UBND tỉnh", &[], "Các Sở, ngành; VNPT Đồng Nai", "Thường xuyên", "Tổng đài 1022 đáp ứng yêu cầu nhiệm vụ"),
    ("III.1", "Triển khai công tác cải cách TTHC trên địa bàn tỉnh theo chỉ đạo của Tổ công tác cải cách TTHC của Thủ tướng Chính phủ và Hội đồng tư vấn cải cách TTHC của Thủ tướng Chính phủ", &["VPUBND"], &[], "Văn phòng UBND tỉnh", &[], "Các Sở, ban ngành, UBND cấp huyện", "Thường xuyên", "Tổ chức hội nghị và các văn bản triển khai"),
    ("III.2", "Triển khai công tác truyền thông về cải cách, kiểm soát TTHC", &["VPUBND"], &[], "Văn phòng UBND tỉnh", &[], "Các Sở, ban ngành, UBND cấp huyện", "Thường xuyên", "Các hoạt động truyền thông được triển khai"),
    ("KH.1", "Xây dựng, ban hành Kế hoạch kiểm soát thủ tục hành chính năm 2025 của cơ quan, đơn vị", &[], &["SBN"], "Các sở, ban, ngành tỉnh, UBND cấp huyện", &[], "", "ban hành trước ngày 31 tháng 01 năm 2025", "Kế hoạch kiểm soát TTHC năm 2025 của đơn vị"),
];

const NOTICE_293: &[Row] = &[
    ("1", "Thiết kế hạ tầng mạng, đường truyền; triển khai phần mềm quản lý, kết nối hệ thống dữ liệu dùng chung; đảm bảo 100% thủ tục hành chính cấp tỉnh thực hiện được không phụ thuộc địa giới hành chính theo Nghị quyết 66/NQ-CP", &["SKHCN"], &[], "Sở Khoa học và Công nghệ", &[], "", "Trước ngày 01/7/2025", "100% TTHC cấp tỉnh thực hiện không phụ thuộc địa giới hành chính"),
    ("2", "Tham mưu tổ chức bộ máy, bố trí nhân sự Trung tâm phục vụ hành chính công cấp xã; phân loại địa phương (đô thị, nông thôn...) để có phương án tổ chức phù hợp; phối hợp với Công an tỉnh cập nhật con dấu điện tử cho các xã/phường mới", &["SNV"], &[], "Sở Nội vụ", &["CAT"], "Công an tỉnh", "Trước ngày 01/7/2025", "Phương án tổ chức Trung tâm PVHCC cấp xã"),
    ("3", "Phối hợp cập nhật dữ liệu hành chính, cung cấp chữ ký số và đảm bảo kết nối với hệ thống cấp căn cước, hộ tịch", &["CAT"], &[], "Công an tỉnh", &[], "", "Trước ngày 01/7/2025", "Chữ ký số, kết nối hệ thống căn cước, hộ tịch"),
    ("4", "Chỉ đạo triển khai số hóa toàn bộ văn bản lưu trữ cấp xã, hoàn tất trước ngày 01/7/2025; ưu tiên nguồn lực trang bị máy tính, máy scan, phần mềm phục vụ tiếp nhận hồ sơ điện tử", &[], &["XA"], "UBND các huyện, thành phố (nay: UBND cấp xã kế thừa)", &[], "", "hoàn tất trước ngày 01/7/2025", "100% văn bản lưu trữ cấp xã được số hóa"),
    ("5", "Rà soát, bố trí trụ sở Trung tâm phục vụ hành chính công cấp xã tại các địa điểm phù hợp (trụ sở UBND xã, nhà văn hóa...) có đầy đủ điều kiện về hạ tầng, trang thiết bị", &[], &["XA"], "Các địa phương", &[], "", "Trước ngày 01/7/2025", "Trung tâm PVHCC cấp xã hoạt động từ 01/7/2025"),
];

const WORKING_GROUP: &[Row] = &[
    ("1", "Báo cáo tiến độ thực hiện Đề án 06, cải cách thủ tục hành chính và chuyển đổi số để Thư ký Tổ công tác tổng hợp", &[], &["XA"], "UBND các xã, phường", &[], "", "trước ngày 15 hằng tháng", "Báo cáo tiến độ hằng tháng"),
    ("2", "Tham mưu triển khai Đề án 06 theo lĩnh vực quản lý, chú trọng số hóa hồ sơ, kết nối dữ liệu và mở rộng dịch vụ công trực tuyến", &[], &["SBN"], "Các sở, ban, ngành thành viên", &[], "", "Thường xuyên", "Dịch vụ công trực tuyến trên nền tảng VNeID"),
];

async fn add_tasks(db: &Db, actor: &Actor, directive: i64, rows: &[Row]) -> AppResult<()> {
    for (r, title, units, groups, lead_text, coords, coord_text, deadline, product) in rows {
        let mut lead_units = vec![];
        for u in *units {
            lead_units.push(unit_id(db, &format!("{PROVINCE}.{u}")).await?);
        }
        let mut lead_groups = vec![];
        for g in *groups {
            lead_groups.push(group_id(db, &format!("{PROVINCE}.{g}")).await?);
        }
        let mut coordinators = vec![];
        for c in *coords {
            coordinators.push(unit_id(db, &format!("{PROVINCE}.{c}")).await?);
        }
        directives::create_task(
            db,
            actor,
            directive,
            &TaskInput {
                ref_: r.to_string(),
                title: title.to_string(),
                lead_units,
                lead_groups,
                lead_text: lead_text.to_string(),
                coordinators,
                coordinators_text: coord_text.to_string(),
                deadline_text: deadline.to_string(),
                product: product.to_string(),
                ..Default::default()
            },
            crate::clock::machine_today_vn(),
        )
        .await?;
    }
    Ok(())
}

/// A small deterministic hash, so the demo looks the same on every machine.
fn roll(id: i64, salt: i64) -> i64 {
    let mut x = (id as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add((salt as u64).wrapping_mul(1442695040888963407));
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^= x >> 33;
    (x % 100) as i64
}

pub async fn seed(db: &Db) -> AppResult<()> {
    org::load_provinces(db, Some(PROVINCE), false).await?;
    let system = Actor {
        user_id: 0,
        username: "demo-seed".into(),
        full_name: "demo".into(),
        role: Role::Admin,
        unit_id: None,
        unit_name: None,
        body_id: None,
        province_code: None,
        csrf: String::new(),
        via_session: false,
        unread_notices: 0,
    };
    let mut ids = vec![];
    for (username, name, role, unit) in ACCOUNTS {
        let unit_id = match unit {
            Some(c) => Some(unit_id(db, c).await?),
            None => None,
        };
        ids.push(
            users::create_user(
                db,
                None,
                users::NewUser {
                    username,
                    password: DEMO_PASSWORD,
                    full_name: name,
                    role: *role,
                    unit_id,
                    body_id: None,
                },
            )
            .await?,
        );
    }
    let admin = Actor {
        user_id: ids[0],
        username: "admin".into(),
        ..system
    };
    let ca = unit_id(db, "75.CAT").await?;
    let tct = bodies::create_body(db, &admin, &BodyInput {
        code: "75.TCT06".into(),
        name: "Tổ công tác triển khai Đề án 06; cải cách TTHC, chuyển đổi số gắn với Đề án 06 tỉnh Đồng Nai".into(),
        kind: "working_group".into(),
        province_code: PROVINCE.into(),
        standing_unit_id: Some(ca),
        meeting_cadence: "Hằng tháng hoặc đột xuất".into(),
        description: "Cơ quan thường trực: Phòng Cảnh sát Quản lý hành chính về trật tự xã hội (PC06) – Công an tỉnh. Thư ký Tổ công tác tổng hợp kết quả triển khai; UBND các xã, phường báo cáo tiến độ trước ngày 15 hằng tháng.".into(),
    })
    .await?;
    for (name, role, pos, unit, domain) in [
        (
            "Lãnh đạo UBND tỉnh",
            "head",
            "Phó Chủ tịch UBND tỉnh",
            None,
            "Chỉ đạo toàn diện",
        ),
        (
            "Tổ phó phụ trách KH-CN và CĐS",
            "deputy",
            "Giám đốc Sở Khoa học và Công nghệ",
            Some("75.SKHCN"),
            "Khoa học – công nghệ và chuyển đổi số",
        ),
        (
            "Tổ phó phụ trách số hóa quy trình",
            "deputy",
            "Chánh Văn phòng UBND tỉnh",
            Some("75.VPUBND"),
            "Số hóa quy trình hành chính",
        ),
        (
            "Tổ phó phụ trách Đề án 06",
            "deputy",
            "Phó Giám đốc Công an tỉnh",
            Some("75.CAT"),
            "Tổ chức triển khai Đề án 06",
        ),
        (
            "Thư ký Tổ công tác",
            "secretary",
            "Phòng PC06 – Công an tỉnh",
            Some("75.CAT"),
            "Tổng hợp kết quả; định danh điện tử, dữ liệu, DVC trên VNeID",
        ),
        (
            "Đại diện Sở Nội vụ",
            "member",
            "Phó Giám đốc Sở Nội vụ",
            Some("75.SNV"),
            "Cải cách hành chính",
        ),
    ] {
        let unit_id = match unit {
            Some(c) => Some(unit_id(db, c).await?),
            None => None,
        };
        bodies::add_member(
            db,
            &admin,
            tct,
            &MemberInput {
                person_name: name.into(),
                position: pos.into(),
                unit_id,
                role: role.into(),
                domain: domain.into(),
            },
        )
        .await?;
    }
    let snv = unit_id(db, "75.SNV").await?;
    let bcd = bodies::create_body(
        db,
        &admin,
        &BodyInput {
            code: "75.BCDCCHC".into(),
            name: "Ban Chỉ đạo cải cách hành chính tỉnh Đồng Nai".into(),
            kind: "steering_committee".into(),
            province_code: PROVINCE.into(),
            standing_unit_id: Some(snv),
            meeting_cadence: "Hằng quý".into(),
            description: "Cơ quan thường trực: Sở Nội vụ.".into(),
        },
    )
    .await?;
    let plan = directives::create_directive(
        db,
        &admin,
        &DirectiveInput {
            body_id: Some(bcd),
            province_code: PROVINCE.into(),
            kind: "plan".into(),
            number: "404/KH-UBND".into(),
            issued_on: "2024-12-30".into(),
            issuer: "UBND tỉnh Đồng Nai".into(),
            signer: "Võ Tấn Đức".into(),
            summary: "Kiểm soát thủ tục hành chính tỉnh Đồng Nai năm 2025".into(),
            body_text: include_str!("../../data/examples/001_plan_404.txt").into(),
            parent_id: None,
        },
    )
    .await?;
    add_tasks(db, &admin, plan, PLAN_404).await?;
    let notice = directives::create_directive(db, &admin, &DirectiveInput {
        body_id: Some(tct),
        province_code: PROVINCE.into(),
        kind: "notice".into(),
        number: "293/TB-UBND".into(),
        issued_on: "2025-05-21".into(),
        issuer: "UBND tỉnh Đồng Nai".into(),
        signer: String::new(),
        summary: "Kết luận của đồng chí Dương Minh Dũng – Phó Chủ tịch UBND tỉnh, Tổ trưởng Tổ số 6 về hạ tầng dữ liệu, kết nối dữ liệu dùng chung tại cuộc họp xác định vị trí bố trí Trung tâm phục vụ hành chính công cấp xã".into(),
        body_text: include_str!("../../data/examples/004_notice_293.txt").into(),
        parent_id: None,
    })
    .await?;
    add_tasks(db, &admin, notice, NOTICE_293).await?;
    let reg = directives::create_directive(db, &admin, &DirectiveInput {
        body_id: Some(tct),
        province_code: PROVINCE.into(),
        kind: "regulation".into(),
        number: "Quy chế Tổ công tác Đề án 06".into(),
        issued_on: "2025-10-23".into(),
        issuer: "Tổ công tác Đề án 06 tỉnh Đồng Nai".into(),
        signer: String::new(),
        summary: "Quy chế tổ chức và hoạt động của Tổ công tác triển khai Đề án 06; cải cách TTHC, chuyển đổi số gắn với Đề án 06 tỉnh Đồng Nai".into(),
        body_text: include_str!("../../data/examples/000_working_group.txt").into(),
        parent_id: None,
    })
    .await?;
    add_tasks(db, &admin, reg, WORKING_GROUP).await?;
    seed_progress(db, &ids).await?;
    seed_reporting(db, &admin, tct).await?;
    let thuky = demo_actor(db, "thuky").await?;
    let today = crate::clock::vn_date(chrono::Utc::now());
    super::demo_meetings::seed(db, PROVINCE, &admin, &thuky, tct, bcd, today).await?;
    seed_dossiers(db).await?;
    // after the dossiers: the reports are pre-filled with their figures, the rank
    // commitments compared with their league tables
    seed_quarterly_submissions(db, &admin).await?;
    super::demo_breakthroughs::seed(db, &admin, &thuky, today).await
}

async fn demo_actor(db: &Db, username: &str) -> AppResult<Actor> {
    users::actor_by_username(db, username)
        .await?
        .ok_or_else(|| crate::error::AppError::Internal(anyhow::anyhow!("demo user {username}")))
}

/// Reporting as it runs: the working group's monthly report (example 000: communes and
/// departments to the standing agency before the 15th) and the quarterly cascade of example
/// 003 (units → standing agencies → Sở Nội vụ → the committee). The demo units' officers
/// have reported the last period, one on time and one late; the rest are outstanding, so
/// the consolidation, the reminders and the documents have something to show.
/// Dossiers of last year and of this year to date, generated and imported through the
/// same path as a real export, so the scorecards and rankings are alive. `STEERCO_DEMO_DOSSIERS`
/// sets the number per year.
async fn seed_dossiers(db: &Db) -> AppResult<()> {
    use super::generate;
    use crate::dossiers::import;
    let per_year: u64 = std::env::var("STEERCO_DEMO_DOSSIERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60_000);
    let today = crate::clock::machine_today_vn();
    let units = generate::units_of(Some(PROVINCE));
    let io = |e: std::io::Error| AppError::Internal(e.into());
    let dir = std::env::temp_dir().join(format!(
        "steerco-demo-{}",
        crate::auth::random_token().get(..12).unwrap_or("x")
    ));
    std::fs::create_dir_all(&dir).map_err(io)?;
    // One export per year and kind, imported as the one-stop system would hand them over.
    for (i, (year, months)) in demo_years(today).into_iter().enumerate() {
        let (d_path, f_path) = (
            dir.join(format!("ho-so-{year}.csv")),
            dir.join(format!("pakn-{year}.csv")),
        );
        let o = generate::Options {
            year,
            months,
            dossiers: per_year * months as u64 / 12,
            feedback_per_100: 2.0,
            seed: 11 + i as u64,
        };
        generate::generate(
            &units,
            &o,
            std::io::BufWriter::new(std::fs::File::create(&d_path).map_err(io)?),
            std::io::BufWriter::new(std::fs::File::create(&f_path).map_err(io)?),
            |_| {},
        )
        .map_err(io)?;
        for (kind, path) in [
            (import::Kind::Dossier, &d_path),
            (import::Kind::Feedback, &f_path),
        ] {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("demo.csv");
            let (id, progress) = import::begin(db, kind, Some(PROVINCE), name, None).await?;
            import::run(db, id, kind, path, Some(PROVINCE), None, progress).await?;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    seed_reported_and_scorecard(db, today).await
}

/// The demo's data: all of last year, and this year up to last month.
fn demo_years(today: chrono::NaiveDate) -> [(i32, u32); 2] {
    [
        (today.year() - 1, 12),
        (today.year(), today.month().saturating_sub(1).max(1)),
    ]
}

/// What units report themselves for Decision 766 group 1 and the rest (TTHC publication,
/// sync with the national portal…), month by month, and a scorecard of the province's own.
async fn seed_reported_and_scorecard(db: &Db, today: chrono::NaiveDate) -> AppResult<()> {
    use crate::indicators::{self, store};
    let cat = indicators::Catalogue::national();
    let reported: Vec<&str> = cat
        .indicators
        .iter()
        .filter(|i| i.source == indicators::Source::Reported)
        .map(|i| i.code.as_str())
        .collect();
    let units: Vec<(i64,)> = with_db!(db, |p| {
        sqlx::query_as("SELECT id FROM units WHERE province_code = $1 AND kind IN ('commune', 'department') ORDER BY id")
            .bind(PROVINCE)
            .fetch_all(p)
            .await?
    });
    let mut r = super::rng::Rng(5);
    let mut values = Vec::new();
    for (unit_id,) in units {
        // Each unit has its level; months wander around it.
        let level = 70.0 + r.below(28) as f64;
        for (year, last) in demo_years(today) {
            for m in 1..=last {
                for code in &reported {
                    let v = (level + r.below(9) as f64 - 2.0).min(100.0);
                    values.push(store::ReportedValue {
                        unit_id,
                        month: format!("{year}-{m:02}"),
                        indicator: code.to_string(),
                        numerator: v,
                        denominator: 100.0,
                        submission_id: None,
                    });
                }
            }
        }
    }
    store::record_reported(db, PROVINCE, &values).await?;
    let card: indicators::Scorecard =
        serde_json::from_str(DEMO_SCORECARD).map_err(|e| AppError::Internal(e.into()))?;
    let admin = crate::auth::repo::actor_by_username(db, "admin")
        .await?
        .ok_or(AppError::NotFound("tài khoản admin"))?;
    store::save_scorecard(db, &admin, PROVINCE, &card).await
}

/// The province's own weighting: dossiers on time and satisfaction, online and digitised
/// dossiers, and the tasks of its steering documents done on time.
const DEMO_SCORECARD: &str = r#"{"code": "dn-cchc", "name": "Bộ chỉ số CCHC của tỉnh Đồng Nai", "groups": [
  {"code": "A", "name": "Giải quyết thủ tục hành chính", "max": 50, "items": [
    {"indicator": "dossier_finished_on_time", "points": 30, "rule": "threshold", "threshold": 97},
    {"indicator": "dossier_satisfaction", "points": 20, "rule": "threshold", "threshold": 95}]},
  {"code": "B", "name": "Trực tuyến, số hóa", "max": 30, "items": [
    {"indicator": "dossier_online", "points": 15, "rule": "threshold", "threshold": 80},
    {"indicator": "dossier_digitized", "points": 15, "rule": "linear"}]},
  {"code": "C", "name": "Thực hiện nhiệm vụ được giao", "max": 20, "items": [
    {"indicator": "task_on_time", "points": 20, "rule": "linear"}]}]}"#;

async fn seed_reporting(db: &Db, admin: &Actor, working_group: i64) -> AppResult<()> {
    use crate::reporting::{self, schedule, template, WorkCalendar};
    let now = chrono::Utc::now();
    let since = now;
    let monthly_tpl = schedule::save_template(db, admin, PROVINCE, None, &schedule::TemplateInput {
        name: "Báo cáo tiến độ Đề án 06 hằng tháng".into(),
        description: "Theo Quy chế Tổ công tác Đề án 06: UBND các xã, phường và các sở báo cáo trước ngày 15 hằng tháng để Thư ký tổng hợp.".into(),
        fields: template::project06_monthly_report(),
    })
    .await?;
    let quarterly_tpl = schedule::save_template(
        db,
        admin,
        PROVINCE,
        None,
        &schedule::TemplateInput {
            name: "Báo cáo kết quả CCHC, chuyển đổi số và Đề án 06 hằng quý".into(),
            description: "Phục vụ họp liên tịch 03 Ban Chỉ đạo (Công văn 3552/UBND-SNV).".into(),
            fields: template::quarterly_reform_report(),
        },
    )
    .await?;
    let ids = |codes: &[&str]| {
        let codes: Vec<String> = codes.iter().map(|c| format!("{PROVINCE}.{c}")).collect();
        async move {
            let mut out = vec![];
            for c in codes {
                out.push(unit_id(db, &c).await?);
            }
            Ok::<Vec<i64>, crate::error::AppError>(out)
        }
    };
    let monthly = schedule::create_schedule(
        db,
        admin,
        PROVINCE,
        &schedule::ScheduleInput {
            name: "Báo cáo tiến độ Đề án 06 hằng tháng".into(),
            body_id: Some(working_group),
            template_id: Some(monthly_tpl),
            receiver_unit_id: Some(unit_id(db, "75.CAT").await?),
            frequency: "monthly".into(),
            cutoff_day: "14".into(),
            due_rule: "day_of_month".into(),
            due_value: "15".into(),
            reminder_offsets: "-3, -1, 1, 3".into(),
            units: ids(&["SNV", "SKHCN"]).await?,
            groups: vec![group_id(db, "75.XA").await?],
            ..Default::default()
        },
        since,
    )
    .await?;
    let quarterly = |name: &str, receiver: i64, units: Vec<i64>, parent: Option<i64>, day: &str| {
        schedule::ScheduleInput {
            name: name.into(),
            template_id: Some(quarterly_tpl),
            receiver_unit_id: Some(receiver),
            parent_id: parent,
            frequency: "quarterly".into(),
            cutoff_day: "14".into(),
            due_rule: "day_of_month".into(),
            due_value: day.into(),
            reminder_offsets: "-3, -1, 1, 3".into(),
            units,
            ..Default::default()
        }
    };
    let (ubnd, snv, skhcn, cat) = (
        unit_id(db, PROVINCE).await?,
        unit_id(db, "75.SNV").await?,
        unit_id(db, "75.SKHCN").await?,
        unit_id(db, "75.CAT").await?,
    );
    let top = schedule::create_schedule(
        db,
        admin,
        PROVINCE,
        &quarterly(
            "Báo cáo tổng hợp CCHC, CĐS, Đề án 06 hằng quý",
            ubnd,
            vec![snv],
            None,
            "28",
        ),
        since,
    )
    .await?;
    let agencies = schedule::create_schedule(
        db,
        admin,
        PROVINCE,
        &quarterly(
            "Báo cáo của cơ quan thường trực các Ban Chỉ đạo",
            snv,
            vec![snv, skhcn, cat],
            Some(top),
            "27",
        ),
        since,
    )
    .await?;
    let mut cchc = quarterly(
        "Báo cáo CCHC của các cơ quan, đơn vị",
        snv,
        vec![],
        Some(agencies),
        "25",
    );
    cchc.groups = vec![group_id(db, "75.SBN").await?];
    schedule::create_schedule(db, admin, PROVINCE, &cchc, since).await?;
    let mut cds = quarterly(
        "Báo cáo chuyển đổi số của các cơ quan, đơn vị",
        skhcn,
        vec![],
        Some(agencies),
        "25",
    );
    cds.groups = vec![group_id(db, "75.SBN").await?];
    schedule::create_schedule(db, admin, PROVINCE, &cds, since).await?;

    // The schedules have run since the start of the year, so the period that closed last
    // was asked for too.
    let start_of_year = format!(
        "{}-01-01T00:00:00Z",
        crate::clock::vn_date(now).format("%Y")
    );
    with_db!(db, |p| sqlx::query(
        "UPDATE report_schedules SET created_at = $1"
    )
    .bind(&start_of_year)
    .execute(p)
    .await
    .map(|_| ()))?;
    for s in schedule::list_schedules(db, PROVINCE).await? {
        let cal = WorkCalendar::load(db).await?;
        for p in s.live_periods(crate::clock::vn_date(now)) {
            reporting::open_requests(db, &s, &p, &cal).await?;
        }
    }
    let cal = WorkCalendar::load(db).await?;
    let s = schedule::get_schedule(db, monthly).await?;
    let today = crate::clock::vn_date(now);
    for p in s.live_periods(today) {
        reporting::open_requests(db, &s, &p, &cal).await?;
    }
    let Some(last) = s
        .live_periods(today)
        .into_iter()
        .find(|p| s.due_on(p, &cal) < today)
    else {
        return Ok(());
    };
    let due = s
        .due_on(&last, &cal)
        .and_hms_opt(2, 0, 0)
        .unwrap_or_default()
        .and_utc();
    for (user, at, result, eid) in [
        ("canbo.tranbien", due - chrono::Duration::days(2), "Kích hoạt 1.250 tài khoản định danh điện tử mức 2; 100% hồ sơ khai sinh, thường trú nộp trực tuyến.", "1250"),
        ("canbo.snv", due + chrono::Duration::days(2), "Hoàn thành rà soát, chuẩn hóa dữ liệu cán bộ, công chức trên Cơ sở dữ liệu quốc gia.", "0"),
    ] {
        let actor = demo_actor(db, user).await?;
        let unit = actor.unit_id.unwrap_or_default();
        let (rid,): (i64,) = with_db!(db, |p| sqlx::query_as(
            "SELECT id FROM report_requests WHERE schedule_id = $1 AND unit_id = $2 AND period = $3"
        )
        .bind(monthly)
        .bind(unit)
        .bind(&last.key)
        .fetch_one(p)
        .await)?;
        let mut v = template::Values::new();
        v.insert("ket_qua".into(), result.into());
        v.insert("dinh_danh_kich_hoat".into(), eid.into());
        v.insert("dvc_tiep_nhan".into(), "420".into());
        v.insert("dvc_truc_tuyen".into(), "336".into());
        v.insert("nv_qua_han".into(), "0".into());
        reporting::submit(db, &actor, rid, &v, at.min(now)).await?;
    }
    Ok(())
}

/// The quarterly cascade as it runs: the departments' reports of the quarter that closed (most
/// in time, a few late, two missing, one returned to be completed), the standing agencies'
/// consolidated reports on them, and the current quarter's first early reports.
async fn seed_quarterly_submissions(db: &Db, admin: &Actor) -> AppResult<()> {
    use crate::reporting::{self, schedule};
    let now = chrono::Utc::now();
    let today = crate::clock::vn_date(now);
    let schedules = schedule::list_schedules(db, PROVINCE).await?;
    // the departments' level first, then the agencies' (their reports consolidate the first)
    let mut levels: Vec<&schedule::Schedule> = schedules
        .iter()
        .filter(|s| s.frequency == "quarterly")
        .collect();
    levels.sort_by_key(|s| s.due_value);
    let mut returned = false;
    for s in levels {
        let requests: Vec<(i64, String, String)> = with_db!(db, |p| {
            sqlx::query_as(
            "SELECT id, period, due_on FROM report_requests WHERE schedule_id = $1 ORDER BY period, id"
        )
        .bind(s.id)
        .fetch_all(p)
        .await
        })?;
        let first_level =
            s.parent_id.is_some() && schedules.iter().all(|c| c.parent_id != Some(s.id));
        let (mut i, mut period) = (0usize, String::new());
        for (id, p, due) in &requests {
            (i, period) = if *p == period {
                (i + 1, period)
            } else {
                (0, p.clone())
            };
            let Some(due) = crate::store::parse_date(due) else {
                continue;
            };
            let closed = due < today;
            // closed: every unit but the 6th and 13th; open: the units' first three, early
            let sends = if closed {
                i % 13 != 5 && i % 13 != 12
            } else {
                first_level && i < 3
            };
            if !sends {
                continue;
            }
            let late_by = if closed && i % 5 == 3 { 3 } else { -2 };
            let at = (due + chrono::Duration::days(late_by))
                .and_hms_opt(2, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .min(now);
            let r = reporting::get_request(db, *id).await?;
            let mut values = reporting::prefill(db, &r).await?;
            for (k, v) in [
                ("ket_qua", "Hoàn thành các nhiệm vụ CCHC, chuyển đổi số, Đề án 06 của quý theo kế hoạch; tỷ lệ hồ sơ trực tuyến tăng so với quý trước."),
                ("kho_khan", "Hạ tầng mạng tại một số bộ phận một cửa còn chậm."),
                ("de_xuat", "Đề nghị bổ sung kinh phí nâng cấp thiết bị số hóa."),
                ("nhiem_vu_ky_toi", "Tiếp tục số hóa hồ sơ, kết quả giải quyết TTHC; rà soát dịch vụ công trực tuyến toàn trình."),
            ] {
                if values.get(k).is_none_or(|x| x.trim().is_empty()) {
                    values.insert(k.into(), v.into());
                }
            }
            let t = schedule::get_template(db, s.template_id).await?;
            for f in &t.fields {
                if f.kind == crate::reporting::template::FieldKind::Number
                    && values.get(&f.key).is_none_or(|x| x.trim().is_empty())
                {
                    values.insert(f.key.clone(), "0".into());
                }
            }
            if reporting::submit(db, admin, *id, &values, at)
                .await
                .is_err()
            {
                continue; // a demo figure the template refuses: leave that report unsent
            }
            if closed {
                let keep = returned || i % 7 != 2;
                let note = if keep {
                    ""
                } else {
                    "Bổ sung số liệu hồ sơ trực tuyến của quý."
                };
                reporting::decide(db, admin, *id, keep, note, at + chrono::Duration::days(1))
                    .await?;
                returned |= !keep;
            }
        }
    }
    Ok(())
}

/// Progress as it looks in late 2026: most dated work done (some late, some awaiting
/// confirmation, one returned), some still overdue, a few extended; ongoing duties reported
/// month by month, the current month by about half of the units.
async fn seed_progress(db: &Db, user_ids: &[i64]) -> AppResult<()> {
    let rows: Vec<(i64, i64, Option<String>, bool, String)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT a.id, a.unit_id, a.due_on, a.recurring, a.issued_on FROM assignments a ORDER BY a.id"
    )
    .fetch_all(p)
    .await
    })?;
    // Updates are written by the unit's own officer where the demo has one.
    let officers: Vec<(i64, Option<i64>)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, unit_id FROM users WHERE role = 'officer'"
    )
    .fetch_all(p)
    .await)?;
    let officer_of = |unit: i64| {
        officers
            .iter()
            .find(|(_, u)| *u == Some(unit))
            .map(|(id, _)| *id)
    };
    let today = crate::clock::machine_today_vn();
    let now = db.now_utc();
    let _w = db.write_lock().await;
    with_db!(db, |p| {
        let mut tx = p.begin().await?;
        for (id, unit, due, recurring, issued) in &rows {
            let r = roll(*id, 1);
            if *recurring {
                // months from the later of the directive date and July 2025 up to now
                let start = chrono::NaiveDate::parse_from_str(issued, "%Y-%m-%d")
                    .unwrap_or(today)
                    .max(chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(today));
                let mut m = start;
                while m <= today {
                    let period = format!("{}", m.format("%Y-%m"));
                    let current =
                        m.format("%Y-%m").to_string() == today.format("%Y-%m").to_string();
                    if roll(*id, m.format("%Y%m").to_string().parse().unwrap_or(0))
                        < if current { 50 } else { 85 }
                    {
                        sqlx::query("INSERT INTO progress_updates (assignment_id, period, author_id, result, difficulties, proposals, percent, marks_done, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8)")
                            .bind(id).bind(&period).bind(officer_of(*unit))
                            .bind(format!("Kết quả thực hiện kỳ {period}: đã triển khai theo kế hoạch, cập nhật số liệu trên hệ thống."))
                            .bind(if r % 3 == 0 { "Thiếu nhân lực chuyên trách, thiết bị số hóa còn hạn chế." } else { "" })
                            .bind(if r % 4 == 0 { "Đề nghị tỉnh hỗ trợ kinh phí trang bị máy scan." } else { "" })
                            .bind(50 + (r % 50) as i32)
                            .bind(format!("{}-{:02}T03:00:00Z", m.format("%Y-%m"), 10 + (r % 5)))
                            .execute(&mut *tx).await?;
                    }
                    m = chrono::NaiveDate::from_ymd_opt(
                        if m.month0() == 11 {
                            m.year() + 1
                        } else {
                            m.year()
                        },
                        (m.month0() + 1) % 12 + 1,
                        1,
                    )
                    .unwrap_or(today + chrono::Duration::days(1));
                }
                continue;
            }
            let Some(due) = due
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            else {
                continue;
            };
            let (completed, review, percent, new_due) = match r {
                0..=54 => (
                    Some(due - chrono::Duration::days(1 + r % 20)),
                    "confirmed",
                    100,
                    None,
                ),
                55..=67 => (
                    Some(due + chrono::Duration::days(3 + r % 40)),
                    "confirmed",
                    100,
                    None,
                ),
                68..=74 => (
                    Some(due + chrono::Duration::days(10 + r % 60)),
                    "pending",
                    100,
                    None,
                ),
                75..=79 => (None, "none", 60 + (r % 30) as i32, Some("2026-12-31")),
                80..=81 => (None, "returned", 90, None),
                _ => (None, "none", 20 + (r % 60) as i32, None),
            };
            let completed = completed.filter(|c| *c <= today);
            sqlx::query("INSERT INTO progress_updates (assignment_id, period, author_id, result, difficulties, proposals, percent, marks_done, created_at) VALUES ($1, '', $2, $3, $4, '', $5, $6, $7)")
                .bind(id).bind(officer_of(*unit))
                .bind(if completed.is_some() { "Đã hoàn thành nhiệm vụ, sản phẩm đã gửi kèm." } else { "Đang triển khai; đã hoàn thành một phần khối lượng." })
                .bind(if completed.is_none() { "Chờ hướng dẫn chuyên môn của cơ quan cấp trên." } else { "" })
                .bind(percent).bind(completed.is_some())
                .bind(completed.map(|c| format!("{c}T02:00:00Z")).unwrap_or_else(|| now.clone()))
                .execute(&mut *tx).await?;
            sqlx::query("UPDATE assignments SET completed_on = $1, review = $2, percent = $3, review_reason = $4, due_on = COALESCE($5, due_on), last_update_at = $6 WHERE id = $7")
                .bind(completed.map(|c| c.to_string())).bind(review).bind(percent)
                .bind(if review == "returned" { "Sản phẩm chưa đầy đủ, đề nghị bổ sung minh chứng." } else { "" })
                .bind(new_due).bind(&now).bind(id)
                .execute(&mut *tx).await?;
            if let Some(nd) = new_due {
                sqlx::query("INSERT INTO extensions (assignment_id, requested_by, requested_due, reason, decision, decided_by, decision_note, created_at, decided_at) VALUES ($1, $2, $3, $4, 'approved', $5, $6, $7, $7)")
                    .bind(id).bind(officer_of(*unit)).bind(nd)
                    .bind("Chờ hoàn thiện hạ tầng sau sắp xếp đơn vị hành chính.")
                    .bind(user_ids.get(1).copied()).bind("Đồng ý gia hạn.").bind(&now)
                    .execute(&mut *tx).await?;
            }
        }
        // Ongoing duties show their latest report's percent and time.
        sqlx::query(
            "UPDATE assignments SET \
             last_update_at = (SELECT MAX(pu.created_at) FROM progress_updates pu WHERE pu.assignment_id = assignments.id), \
             percent = COALESCE((SELECT pu.percent FROM progress_updates pu WHERE pu.assignment_id = assignments.id \
                                 ORDER BY pu.created_at DESC, pu.id DESC LIMIT 1), percent) \
             WHERE recurring = TRUE",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(())
}

use chrono::Datelike;
