#!/usr/bin/env bash
# Opens the documents the integration test generated (kept in target/generated) with
# LibreOffice, headless: the consolidated report converts to PDF and to text, the submission
# table to CSV, and the text still says what the report says.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/generated
# per package: Writer opens the .docx files, Calc the .xlsx (a machine may have one only)
need=()
for part in writer calc; do
  dpkg -s "libreoffice-$part" >/dev/null 2>&1 || dpkg -s "libreoffice-$part-nogui" >/dev/null 2>&1 \
    || need+=("libreoffice-$part-nogui")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
lo() { timeout 180 soffice -env:UserInstallation="file://$profile" --headless --norestore "$@" >/dev/null 2>&1; }
test -s "$dir/bao-cao-tong-hop.docx" || { echo "no generated report in $dir"; exit 1; }
lo --convert-to pdf --outdir "$dir" "$dir/bao-cao-tong-hop.docx"
test -s "$dir/bao-cao-tong-hop.pdf" || { echo "LibreOffice could not convert the report to PDF"; exit 1; }
lo --convert-to txt:Text --outdir "$dir" "$dir/bao-cao-tong-hop.docx"
for needle in "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "BÁO CÁO" "Nơi nhận:" "Phụ lục"; do
  grep -q "$needle" "$dir/bao-cao-tong-hop.txt" || { echo "the converted report lacks: $needle"; exit 1; }
done
lo --convert-to "csv:Text - txt - csv (StarCalc):44,34,76" --outdir "$dir" "$dir/tinh-hinh-gui-bao-cao.xlsx"
grep -q "Sở Y tế" "$dir/tinh-hinh-gui-bao-cao.csv" || { echo "the converted submission table lacks its units"; exit 1; }
# the meeting's documents (tests/it/meetings.rs keeps them): each converts, and says what it is
for pair in "cong-van-chuan-bi-hop:V/v chuẩn bị nội dung họp" "giay-moi-hop:GIẤY MỜI" \
            "thong-bao-ket-luan:THÔNG BÁO" "tai-lieu-hop:TÀI LIỆU PHỤC VỤ CUỘC HỌP"; do
  name="${pair%%:*}"; needle="${pair#*:}"
  test -s "$dir/$name.docx" || { echo "no generated $name.docx in $dir"; exit 1; }
  lo --convert-to txt:Text --outdir "$dir" "$dir/$name.docx"
  grep -q "$needle" "$dir/$name.txt" || { echo "the converted $name lacks: $needle"; exit 1; }
done
# the year's breakthroughs (tests/it/breakthroughs.rs keeps them): the report converts and says
# what it is; the workbooks open in Calc and list their units
test -s "$dir/tong-hop-khau-dot-pha.docx" || { echo "no generated tong-hop-khau-dot-pha.docx in $dir"; exit 1; }
lo --convert-to txt:Text --outdir "$dir" "$dir/tong-hop-khau-dot-pha.docx"
for needle in "BÁO CÁO" "867/UBND-SNV" "Cam kết thứ hạng"; do
  grep -q "$needle" "$dir/tong-hop-khau-dot-pha.txt" || { echo "the converted breakthrough report lacks: $needle"; exit 1; }
done
for pair in "tong-hop-khau-dot-pha:Sở Tư pháp" "tong-hop-thi-dua:Sở Tư pháp"; do
  name="${pair%%:*}"; needle="${pair#*:}"
  test -s "$dir/$name.xlsx" || { echo "no generated $name.xlsx in $dir"; exit 1; }
  lo --convert-to "csv:Text - txt - csv (StarCalc):44,34,76" --outdir "$dir" "$dir/$name.xlsx"
  grep -q "$needle" "$dir/$name.csv" || { echo "the converted $name.xlsx lacks: $needle"; exit 1; }
done
echo "report: $(stat -c %s "$dir/bao-cao-tong-hop.pdf") bytes of PDF; submission table: $(wc -l < "$dir/tinh-hinh-gui-bao-cao.csv") CSV lines"
