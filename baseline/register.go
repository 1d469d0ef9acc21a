package baseline

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// Register column fields and the headers they are found by (compared
// case-insensitively, spaces folded). Columns are found by header, never
// by position, so moved, added and removed columns still read.
const (
	colID                 = "id"
	colFingerprint        = "fingerprint"
	colRule               = "rule"
	colElementKey         = "element key"
	colElement            = "element"
	colCategory           = "category"
	colTitle              = "title"
	colLikelihood         = "likelihood"
	colImpact             = "impact"
	colResidualLikelihood = "residual likelihood"
	colResidualImpact     = "residual impact"
	colSeverity           = "severity"
	colResidual           = "residual risk"
	colStatus             = "status"
	colAnalysisStatus     = "analysis status"
	colAnalysisL          = "analysis likelihood"
	colAnalysisI          = "analysis impact"
	colAnalysisRL         = "analysis residual likelihood"
	colAnalysisRI         = "analysis residual impact"
	colTreatment          = "treatment"
	colJustification      = "justification"
	colOwner              = "owner"
	colDue                = "due date"
	colReview             = "review date"
	colApprover           = "approver"
	colTicket             = "ticket"
	colNotes              = "notes"
	colHistory            = "history"
	colChange             = "change"
	colConfigStatus       = "configuration status"
	colConfigOwner        = "configuration owner"
	colConfigReason       = "configuration reason"
)

var headerAliases = map[string][]string{
	colID:                 {"threat id", "id"},
	colFingerprint:        {"fingerprint"},
	colRule:               {"rule", "rule id"},
	colElementKey:         {"element key", "identity"},
	colElement:            {"affected element", "element"},
	colCategory:           {"stride category", "category"},
	colTitle:              {"summary", "title", "threat"},
	colLikelihood:         {"likelihood"},
	colImpact:             {"impact"},
	colResidualLikelihood: {"residual likelihood"},
	colResidualImpact:     {"residual impact"},
	colSeverity:           {"severity", "inherent severity"},
	colResidual:           {"residual risk", "residual severity"},
	colStatus:             {"status"},
	colAnalysisStatus:     {"analysis status"},
	colAnalysisL:          {"analysis likelihood"},
	colAnalysisI:          {"analysis impact"},
	colAnalysisRL:         {"analysis residual likelihood"},
	colAnalysisRI:         {"analysis residual impact"},
	colTreatment:          {"treatment"},
	colJustification:      {"justification", "treatment justification"},
	colOwner:              {"owner", "risk owner"},
	colDue:                {"due date", "due"},
	colReview:             {"review date", "next review"},
	colApprover:           {"approver", "approved by"},
	colTicket:             {"ticket", "issue", "jira"},
	colNotes:              {"notes", "comments"},
	colHistory:            {"history"},
	colChange:             {"change", "change since baseline"},
	colConfigStatus:       {"configuration status"},
	colConfigOwner:        {"configuration owner"},
	colConfigReason:       {"configuration reason"},
}

// derivedHeaders are register columns threatmap writes from the analysis
// and rewrites on every run; they are not carried over.
var derivedHeaders = map[string]bool{
	"entry point": true, "threat description": true, "risk score": true, "existing controls": true,
	"residual score": true, "recommended mitigation": true, "control type": true, "effort": true, "priority": true,
	"references": true, "would be mitigated by": true,
}

// RegisterSheet is the name of the register sheet threatmap writes.
const RegisterSheet = "Risk Register"

// Treatments are the values of the Treatment column.
var Treatments = []string{"Mitigate", "Accept", "Transfer", "Avoid"}

// analysisStatuses are the statuses the analysis derives; a Status equal
// to the row's Analysis status (or, without that column, one of these) is
// not a person's decision.
var analysisStatuses = map[string]bool{"Unmitigated": true, "Partial": true, "Mitigated": true}

// MaxRegisterUnzipped bounds what ReadRegister unpacks from a workbook: the
// sizes its zip entries declare, added up. A register of 10,000 threats
// unpacks to a few megabytes; excelize's own default (16 GB) let a
// hostile file that declares one huge entry make the reader reserve that
// much memory before reading a byte.
const MaxRegisterUnzipped = 256 << 20

// maxRegisterPartInMemory is the largest worksheet or shared-strings part
// kept in memory; a larger one is unpacked to a temporary file (excelize's
// default).
const maxRegisterPartInMemory = 16 << 20

// ReadRegister reads a risk register as people edited it. It finds the
// sheet "Risk Register" (else the first sheet with a "Threat ID" header),
// the header row among the first ten rows, and every column by header.
// Rows without a threat id are skipped (blank rows, totals). A value that
// cannot be read is an error naming the sheet, row and column.
func ReadRegister(name string, r io.Reader) (*Baseline, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: MaxRegisterUnzipped, UnzipXMLSizeLimit: maxRegisterPartInMemory})
	if err != nil {
		return nil, graph.Wrap(name, graph.Position{}, "not a readable .xlsx workbook", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	order := make([]string, 0, len(sheets))
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), RegisterSheet) {
			order = append(order, s)
		}
	}
	for _, s := range sheets {
		if !strings.EqualFold(strings.TrimSpace(s), RegisterSheet) {
			order = append(order, s)
		}
	}
	for _, sheet := range order {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, graph.Wrap(name, graph.Position{Page: sheet}, fmt.Sprintf("sheet %q", sheet), err)
		}
		hdr, cols := findHeader(rows)
		if hdr < 0 {
			if strings.EqualFold(strings.TrimSpace(sheet), RegisterSheet) {
				return nil, graph.Errorf(name, graph.Position{Page: sheet},
					"sheet %q, rows 1-10: no \"Threat ID\" column header found", sheet)
			}
			continue
		}
		b, err := readRows(name, sheet, rows, hdr, cols)
		if err != nil {
			return nil, err
		}
		b.EntryPoints, b.NoEntryPoints = readEntryPoints(f), true
		if b.EntryPoints != nil {
			b.NoEntryPoints = false
		}
		return b, nil
	}
	return nil, graph.Errorf(name, graph.Position{}, "no sheet %q and no sheet with a \"Threat ID\" column (sheets: %s)",
		RegisterSheet, strings.Join(sheets, ", "))
}

func fold(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// known reports whether a folded header is one the reader maps to a field.
func known(h string) bool {
	for _, names := range headerAliases {
		for _, n := range names {
			if h == n {
				return true
			}
		}
	}
	return false
}

// extraPrefix marks the columns people added in the field map that
// findHeader returns: extraPrefix + header text.
const extraPrefix = "extra\x00"

// findHeader returns the index of the header row and the column index of
// each field found in it (columns people added under extraPrefix + their
// header), or -1.
func findHeader(rows [][]string) (int, map[string]int) {
	for i := 0; i < len(rows) && i < 10; i++ {
		cols := map[string]int{}
		for j, v := range rows[i] {
			h := fold(v)
			for field, names := range headerAliases {
				for _, n := range names {
					if h == n {
						if _, dup := cols[field]; !dup {
							cols[field] = j
						}
					}
				}
			}
		}
		if _, ok := cols[colID]; ok {
			for j, v := range rows[i] {
				h := strings.TrimSpace(v)
				if h == "" || derivedHeaders[fold(h)] || known(fold(h)) {
					continue
				}
				if _, dup := cols[extraPrefix+h]; !dup {
					cols[extraPrefix+h] = j
				}
			}
			return i, cols
		}
	}
	return -1, nil
}

type rowReader struct {
	name, sheet string
	row         []string
	n           int // 1-based row number
	cols        map[string]int
	hdr         []string
}

func (rr *rowReader) get(field string) string {
	j, ok := rr.cols[field]
	if !ok || j >= len(rr.row) {
		return ""
	}
	return strings.TrimSpace(rr.row[j])
}

func (rr *rowReader) errorf(field, format string, args ...any) error {
	j := rr.cols[field]
	col, _ := excelize.ColumnNumberToName(j + 1)
	head := ""
	if j < len(rr.hdr) {
		head = " (" + strings.TrimSpace(rr.hdr[j]) + ")"
	}
	return &graph.InputError{File: rr.name, Pos: graph.Position{Page: rr.sheet, Cell: col + strconv.Itoa(rr.n)},
		Msg: fmt.Sprintf("sheet %q, row %d, column %s%s: %s", rr.sheet, rr.n, col, head, fmt.Sprintf(format, args...))}
}

// level reads a 1-5 value; "" is 0.
func (rr *rowReader) level(field string) (int, error) {
	v := rr.get(field)
	if v == "" {
		return 0, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x != math.Trunc(x) || x < 1 || x > 5 {
		return 0, rr.errorf(field, "%q is not a whole number from 1 to 5", v)
	}
	return int(x), nil
}

// date reads a date cell: a spreadsheet serial number (what LibreOffice
// and Excel store) or text, which is kept as typed when it is not a date.
func (rr *rowReader) date(field string) string {
	v := rr.get(field)
	if v == "" {
		return ""
	}
	if x, err := strconv.ParseFloat(v, 64); err == nil && x > 0 && x < 2958466 {
		if t, err := excelize.ExcelDateToTime(x, false); err == nil {
			return t.Format("2006-01-02")
		}
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05Z", "2006-01-02 15:04:05", "02/01/2006", "01/02/2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return v
}

func readRows(name, sheet string, rows [][]string, hdr int, cols map[string]int) (*Baseline, error) {
	b := &Baseline{File: name}
	seen := map[string]int{}
	for i := hdr + 1; i < len(rows); i++ {
		rr := &rowReader{name: name, sheet: sheet, row: rows[i], n: i + 1, cols: cols, hdr: rows[hdr]}
		id := rr.get(colID)
		if id == "" {
			continue
		}
		if prev, dup := seen[id]; dup {
			return nil, rr.errorf(colID, "threat id %s repeats row %d", id, prev)
		}
		seen[id] = rr.n
		t, err := rr.threat(id)
		if err != nil {
			return nil, err
		}
		if t.Tracking != nil && t.Tracking.Status == StatusClosed {
			b.Closed = append(b.Closed, t)
		} else {
			b.Threats = append(b.Threats, t)
		}
	}
	return b, nil
}

func (rr *rowReader) threat(id string) (stride.Threat, error) {
	t := stride.Threat{ID: id, Rule: rr.get(colRule), Fingerprint: strings.ToLower(rr.get(colFingerprint)),
		ElementName: rr.get(colElement), Title: rr.get(colTitle)}
	t.Category, _ = stride.ParseCategory(rr.get(colCategory))
	t.Severity, _ = stride.ParseSeverity(rr.get(colSeverity))
	t.ResidualRisk, _ = stride.ParseSeverity(rr.get(colResidual))
	t.Identity.Element = rr.get(colElementKey)
	t.Identity.Label = labelKey(t.ElementName)
	tr := &stride.Tracking{}
	var err error
	levels := []struct {
		field, analysis string
		dst             *int
		val             *int
	}{
		{colLikelihood, colAnalysisL, &tr.Likelihood, &t.Likelihood},
		{colImpact, colAnalysisI, &tr.Impact, &t.Impact},
		{colResidualLikelihood, colAnalysisRL, &tr.ResidualLikelihood, &t.ResidualLikelihood},
		{colResidualImpact, colAnalysisRI, &tr.ResidualImpact, &t.ResidualImpact},
	}
	for _, l := range levels {
		v, err := rr.level(l.field)
		if err != nil {
			return t, err
		}
		a, err := rr.level(l.analysis)
		if err != nil {
			return t, err
		}
		*l.val = v
		// A value differs from the analysis' one: a person set it.
		if v != 0 && a != 0 && v != a {
			*l.dst = v
		}
	}
	t.Score = t.Likelihood * t.Impact
	status := rr.get(colStatus)
	t.Status = status
	if st := canonicalStatus(status); st != "" {
		analysis := rr.get(colAnalysisStatus)
		_, hasAnalysis := rr.cols[colAnalysisStatus]
		if (hasAnalysis && !strings.EqualFold(st, analysis)) || (!hasAnalysis && !analysisStatuses[st]) {
			tr.Status = st
		}
		if strings.EqualFold(rr.get(colChange), stride.ChangeClosed) || st == StatusClosed {
			tr.Status = StatusClosed
		}
	}
	if st := rr.get(colConfigStatus); st != "" {
		// What threatmap.yaml decided when the register was written:
		// the fields still equal to it are the configuration's.
		tr.Config = &stride.ConfigDecision{Status: canonicalStatus(st), Owner: rr.get(colConfigOwner), Reason: rr.get(colConfigReason)}
		if tr.Status == tr.Config.Status {
			tr.Source = stride.TrackingSourceConfig
		}
	}
	if v := rr.get(colTreatment); v != "" {
		tr.Treatment = canonical(v, Treatments)
	}
	tr.Justification = rr.get(colJustification)
	tr.Owner = rr.get(colOwner)
	tr.DueDate = rr.date(colDue)
	tr.ReviewDate = rr.date(colReview)
	tr.Approver = rr.get(colApprover)
	tr.Ticket = rr.get(colTicket)
	tr.Notes = rr.get(colNotes)
	for field := range rr.cols {
		if name, ok := strings.CutPrefix(field, extraPrefix); ok {
			if v := rr.get(field); v != "" {
				if tr.Extra == nil {
					tr.Extra = map[string]string{}
				}
				tr.Extra[name] = v
			}
		}
	}
	if h := rr.get(colHistory); h != "" {
		for _, line := range strings.Split(h, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				tr.History = append(tr.History, line)
			}
		}
	}
	if !tr.Empty() {
		t.Tracking = tr
	}
	return t, err
}

// Statuses a person can set, in the register's dropdown order.
var Statuses = []string{"Unmitigated", "Partial", "Mitigated", "In progress", "Accepted", "Transferred", "Closed"}

func canonicalStatus(s string) string {
	if s == "" {
		return ""
	}
	return canonical(s, Statuses)
}

// canonical returns the list value equal to s ignoring case, else s as typed.
func canonical(s string, list []string) string {
	for _, v := range list {
		if strings.EqualFold(fold(s), fold(v)) {
			return v
		}
	}
	return s
}

// labelKey rebuilds an identity label key from a register's element name:
// "A → B" for a flow, else a component label.
func labelKey(name string) string {
	if name == "" {
		return ""
	}
	if a, b, ok := strings.Cut(name, " → "); ok {
		return "flow:" + stride.NormalizeLabel(a) + ">" + stride.NormalizeLabel(b)
	}
	return "component:" + stride.NormalizeLabel(name)
}

// readEntryPoints reads the register's Entry Points sheet (id, from, to,
// flow label), found by header; nil when the sheet is missing or has no
// such columns. Entry points are matched by their end points' labels.
func readEntryPoints(f *excelize.File) []stride.EntryPoint {
	rows, err := f.GetRows("Entry Points", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		return nil
	}
	col := map[string]int{}
	for j, h := range rows[0] {
		col[fold(h)] = j + 1
	}
	if col["entry point"] == 0 || col["from"] == 0 || col["to"] == 0 {
		return nil
	}
	get := func(row []string, name string) string {
		if j := col[name]; j > 0 && j <= len(row) {
			return strings.TrimSpace(row[j-1])
		}
		return ""
	}
	out := []stride.EntryPoint{}
	seen := map[string]int{}
	for _, row := range rows[1:] {
		id, from, to := get(row, "entry point"), get(row, "from"), get(row, "to")
		if id == "" || from == "" || to == "" {
			continue
		}
		key := "flow:" + stride.NormalizeLabel(from) + ">" + stride.NormalizeLabel(to)
		seen[key]++
		if n := seen[key]; n > 1 {
			key += "#" + strconv.Itoa(n)
		}
		out = append(out, stride.EntryPoint{ID: id, Name: from + " → " + to, Label: get(row, "flow"),
			Identity: stride.Identity{Label: key, Kind: "flow"}})
	}
	return out
}
