#!/usr/bin/env bash
# Opens the documents the integration test generated (kept in target/generated) with
# LibreOffice, headless: the consolidated report converts to PDF and to text, the submission
# table to CSV, and the text still says what the report says.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/generated
if ! command -v soffice >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null
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
echo "report: $(stat -c %s "$dir/bao-cao-tong-hop.pdf") bytes of PDF; submission table: $(wc -l < "$dir/tinh-hinh-gui-bao-cao.csv") CSV lines"
