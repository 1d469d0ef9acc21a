package diff

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON writes the result as indented JSON.
func (r *Result) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return err
	}
	return bw.Flush()
}

func (r *Result) counts() string {
	s := r.Summary
	return fmt.Sprintf("threats: %d new, %d removed, %d changed, %d unchanged; entry points: %d new, %d removed, %d changed",
		s.NewThreats, s.RemovedThreats, s.ChangedThreats, s.UnchangedThreats, s.NewEntryPoints, s.RemovedEntryPoints, s.ChangedEntryPoints)
}

// WriteText writes the result for a terminal.
func (r *Result) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s → %s\n%s\n", r.Old, r.New, r.counts())
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		fmt.Fprintf(bw, "\n%s (%d)\n", title, n)
		return true
	}
	if section("New threats", len(r.NewThreats)) {
		for _, t := range r.NewThreats {
			fmt.Fprintf(bw, "  + %s %-8s [%s] %s\n", t.ID, t.ResidualRisk, t.Element, t.Title)
		}
	}
	if section("Removed threats", len(r.RemovedThreats)) {
		for _, t := range r.RemovedThreats {
			fmt.Fprintf(bw, "  - %s %-8s [%s] %s\n", t.ID, t.ResidualRisk, t.Element, t.Title)
		}
	}
	if section("Changed threats", len(r.ChangedThreats)) {
		for _, t := range r.ChangedThreats {
			fmt.Fprintf(bw, "  ~ %s %-8s [%s] %s: %s\n", idText(t.ID, t.NewID), t.ResidualRisk, t.Element, t.Title, strings.Join(t.Changes, "; "))
		}
	}
	if section("New entry points", len(r.NewEntryPoints)) {
		for _, e := range r.NewEntryPoints {
			fmt.Fprintf(bw, "  + %s %s (%s, %s)\n", e.ID, e.Name, orNone(e.Label), e.Direction)
		}
	}
	if section("Removed entry points", len(r.RemovedEntryPoints)) {
		for _, e := range r.RemovedEntryPoints {
			fmt.Fprintf(bw, "  - %s %s (%s, %s)\n", e.ID, e.Name, orNone(e.Label), e.Direction)
		}
	}
	if section("Changed entry points", len(r.ChangedEntryPoints)) {
		for _, e := range r.ChangedEntryPoints {
			fmt.Fprintf(bw, "  ~ %s %s: %s\n", idText(e.ID, e.NewID), e.Name, strings.Join(e.Changes, "; "))
		}
	}
	return bw.Flush()
}

func idText(old, new string) string {
	if new != "" {
		return old + "→" + new
	}
	return old
}

func orNone(s string) string {
	if s == "" {
		return "no label"
	}
	return s
}

// WriteMarkdown writes the result as Markdown for a pull-request comment.
func (r *Result) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### Threat model changes\n\n`%s` → `%s`: %s.\n", mdCode(r.Old), mdCode(r.New), r.counts())
	if r.Summary.Worse > 0 {
		fmt.Fprintf(bw, "\n**%d threat(s) new or worse.**\n", r.Summary.Worse)
	}
	table := func(title string, n int, header string) bool {
		if n == 0 {
			return false
		}
		fmt.Fprintf(bw, "\n#### %s (%d)\n\n%s\n", title, n, header)
		return true
	}
	const th = "| ID | Residual risk | Category | Element | Threat |\n|---|---|---|---|---|"
	if table("New threats", len(r.NewThreats), th) {
		for _, t := range r.NewThreats {
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", t.ID, t.ResidualRisk, md(string(t.Category)), md(t.Element), md(t.Title))
		}
	}
	if table("Removed threats", len(r.RemovedThreats), th) {
		for _, t := range r.RemovedThreats {
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", t.ID, t.ResidualRisk, md(string(t.Category)), md(t.Element), md(t.Title))
		}
	}
	if table("Changed threats", len(r.ChangedThreats), "| ID | Residual risk | Element | Threat | What changed |\n|---|---|---|---|---|") {
		for _, t := range r.ChangedThreats {
			risk := string(t.ResidualRisk)
			if t.Worse {
				risk = "**" + risk + "** ↑"
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", idText(t.ID, t.NewID), risk, md(t.Element), md(t.Title), md(strings.Join(t.Changes, "; ")))
		}
	}
	const eh = "| ID | Entry point | Flow label | Direction |\n|---|---|---|---|"
	if table("New entry points", len(r.NewEntryPoints), eh) {
		for _, e := range r.NewEntryPoints {
			fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", e.ID, md(e.Name), md(e.Label), e.Direction)
		}
	}
	if table("Removed entry points", len(r.RemovedEntryPoints), eh) {
		for _, e := range r.RemovedEntryPoints {
			fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", e.ID, md(e.Name), md(e.Label), e.Direction)
		}
	}
	if table("Changed entry points", len(r.ChangedEntryPoints), "| ID | Entry point | What changed |\n|---|---|---|") {
		for _, e := range r.ChangedEntryPoints {
			fmt.Fprintf(bw, "| %s | %s | %s |\n", idText(e.ID, e.NewID), md(e.Name), md(strings.Join(e.Changes, "; ")))
		}
	}
	return bw.Flush()
}

// md escapes text for a Markdown table cell.
func md(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }
