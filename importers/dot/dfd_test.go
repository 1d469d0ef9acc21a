package dot

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestDFDNotation: a file that draws its data stores the data-flow way
// (an open-ended table, pytm's store image) or carries pytm's node ids has
// its squares read as external entities, circles and rounded boxes as
// processes and open-ended boxes as data stores, each with the evidence;
// an attribute that states a kind wins; boxes are warned about as
// ambiguous. A file of everyday shapes keeps them unread (the shape
// reading downstream decides).
func TestDFDNotation(t *testing.T) {
	tests := []struct {
		file string
		// kinds is "id=kind" for every component, sorted by id.
		kinds []string
		// evidence is a part of each set KindEvidence.
		evidence map[string]string
		warnings []string
	}{
		{
			file: "threatmap-pytm2019.dot",
			kinds: []string{"ci=external", "cli=process", "diagrams=datastore", "engineer=external",
				"importers=process", "reports=datastore"},
			evidence: map[string]string{
				"engineer":  `shape "square" in data-flow-diagram notation (external entity): the file draws "Diagram files" as an open-ended box (HTML table with sides="TB")`,
				"diagrams":  `an open-ended box (HTML table with sides="TB") in data-flow-diagram notation (data store)`,
				"importers": `shape "doublecircle" in data-flow-diagram notation (process)`,
			},
		},
		{
			file: "threatmap-pytm2021.dot",
			kinds: []string{"actor_Developer_aaaaaaaaaa=external", "datastore_RuleLibrary_0f0e0d0c0b=datastore",
				"element_Cache_4d4d4d4d4d=external", "lambda_Layout_9a8b7c6d5e=process", "process_threatmapCLI_1f2e3d4c5b=process"},
			evidence: map[string]string{
				"datastore_RuleLibrary_0f0e0d0c0b": `pytm's data-store image "datastore_black.png" in data-flow-diagram notation (data store)`,
				"lambda_Layout_9a8b7c6d5e":         `shape "rectangle" with rounded corners in data-flow-diagram notation (process)`,
				"actor_Developer_aaaaaaaaaa":       `the file's node ids are pytm's ("process_threatmapCLI_1f2e3d4c5b")`,
			},
		},
		{
			file:  "threatmap-gane-sarson.dot",
			kinds: []string{"d1=datastore", "gv=process", "p1=process", "p2=process", "user=external"},
			evidence: map[string]string{
				"d1":   `an open-ended box (HTML table with sides="LTB")`,
				"p1":   `shape "box" with rounded corners`,
				"user": `shape "box" in data-flow-diagram notation (external entity)`,
				"gv":   "", // type=process: the attribute, not the notation
				"p2":   "",
			},
			warnings: []string{`8:3: "Reviewer" drawn as plain boxes in a data-flow diagram (the file draws "D1 Baseline" as an open-ended box (HTML table with sides="LTB")) read as external entities, as the notation draws them; set kind=process on a node that is the system's own`},
		},
		{
			file:  "plain-boxes.dot",
			kinds: []string{"db=", "lb=", "user=", "web="},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "dfd", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			ds, err := Import(tc.file, src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := ds[0]
			var kinds []string
			for _, c := range d.Components {
				kinds = append(kinds, c.ID+"="+string(c.Kind))
			}
			sort.Strings(kinds)
			diffLines(t, kinds, tc.kinds)
			for id, want := range tc.evidence {
				got := d.Component(id).KindEvidence
				if want == "" && got != "" || !strings.Contains(got, want) {
					t.Errorf("%s evidence %q, want it to contain %q", id, got, want)
				}
			}
			var warns []string
			for _, w := range d.Warnings {
				warns = append(warns, w.String())
			}
			diffLines(t, warns, tc.warnings)
		})
	}
}

// TestOpenSides: which table sides draw an open-ended store.
func TestOpenSides(t *testing.T) {
	for html, want := range map[string]string{
		`<table sides="TB"><tr><td>x</td></tr></table>`:            "TB",
		`<TABLE SIDES = 'bt' cellborder="0"><tr><td>x</td></tr>`:   "BT",
		`<table sides="LTB"><tr><td sides="R">D1</td></tr>`:        "LTB",
		`<table sides="LRTB"><tr><td>x</td></tr></table>`:          "",
		`<table sides="T"><tr><td>x</td></tr></table>`:             "",
		`<table border="0"><tr><td sides="TB">x</td></tr></table>`: "",
		`<b>no table</b>`:                   "",
		`<table sides="TB"`:                 "",
		`<table sides=TB><tr></tr></table>`: "",
	} {
		if got := openSides(html); got != want {
			t.Errorf("openSides(%q) = %q, want %q", html, got, want)
		}
	}
	for id, want := range map[string]string{
		"datastore_SQLDatabase_0291419f72": "datastore", "actor_User_d2006ce1bb": "actor", "asset_X_0123456789": "asset",
		"datastore_SQLDatabase_0291419f7": "", "widget_X_0123456789": "", "actor_User_d2006ce1bg": "", "actor_Us3r_d2006ce1bb": "",
		"bfffcaeeeeedccabfaaeff": "", "": "",
	} {
		if got := pytmID(id); got != want {
			t.Errorf("pytmID(%q) = %q, want %q", id, got, want)
		}
	}
}
