#!/bin/sh
# check-xlsx-libreoffice.sh: prove that threatmap's risk register formulas
# compute in a real spreadsheet program. LibreOffice opens the workbook,
# recomputes it and exports every sheet to CSV; the check then requires
# Risk score = Likelihood x Impact and the severity band on every register
# row, and Summary counts that match.
#
# Usage: scripts/check-xlsx-libreoffice.sh [WORKBOOK.xlsx ...]
#   Without arguments it checks the test fixture workbook, after an edit of
#   a likelihood and an impact cell. Needs soffice on PATH
#   (apt-get install -y libreoffice-calc-nogui) and LibreOffice >= 7.2.
set -eu
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1; then
	echo "check-xlsx-libreoffice: soffice not found; apt-get install -y libreoffice-calc-nogui" >&2
	exit 1
fi
if [ $# -eq 0 ]; then
	THREATMAP_REQUIRE_SOFFICE=1 go test -count=1 -run '^TestLibreOffice$' -v ./exporters/xlsx/
	exit
fi
for f in "$@"; do
	case $f in /*) ;; *) f=$PWD/$f ;; esac
	THREATMAP_REQUIRE_SOFFICE=1 THREATMAP_XLSX_CHECK=$f \
		go test -count=1 -run '^TestLibreOffice$' -v ./exporters/xlsx/
done
