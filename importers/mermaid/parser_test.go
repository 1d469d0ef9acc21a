package mermaid

import (
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"graph header, TD is TB, semicolons", "graph TD;A-->B;", []string{
			"C A|A|||", "C B|B|||", "F L-A-B-0|A->B||-|solid"}},
		{"shapes", `flowchart LR
  a[rect] --- b(rounded) --- c([stadium]) --- d[[subroutine]] --- e[(cylinder)]
  f((circle)) --- g(((double))) --- h>asym] --- i{diamond} --- j{{hexagon}}
  k[/lr/] --- l[\ll\] --- m[/tz\] --- n[\tza/] --- o@{ shape: cyl }`, []string{
			"C a|rect|rect||", "C b|rounded|rounded||", "C c|stadium|stadium||", "C d|subroutine|subroutine||",
			"C e|cylinder|cylinder||", "C f|circle|circle||", "C g|double|double-circle||", "C h|asym|asymmetric||",
			"C i|diamond|diamond||", "C j|hexagon|hexagon||", "C k|lr|lean-right||", "C l|ll|lean-left||",
			"C m|tz|trapezoid||", "C n|tza|trapezoid-alt||", "C o|o|cyl||",
			"F L-a-b-0|a->b||un|solid", "F L-b-c-0|b->c||un|solid", "F L-c-d-0|c->d||un|solid", "F L-d-e-0|d->e||un|solid",
			"F L-f-g-0|f->g||un|solid", "F L-g-h-0|g->h||un|solid", "F L-h-i-0|h->i||un|solid", "F L-i-j-0|i->j||un|solid",
			"F L-k-l-0|k->l||un|solid", "F L-l-m-0|l->m||un|solid", "F L-m-n-0|m->n||un|solid", "F L-n-o-0|n->o||un|solid"}},
		{"labels: quotes, markdown, html, entities, icons", `flowchart TB
  a["Say #quot;hi#quot; #9829; #amp; more"]
  b["` + "`**Bold** and _it_ snake_case`" + `"]
  c["DB<br/>(<b>PostgreSQL</b>)"]
  d[fa:fa-car Car fab:fa-docker]
  e@{ shape: rect, label: "Shape, label" }
  f[fa:fa-car]`, []string{
			`C a|Say "hi" ♥ & more|rect||`, "C b|Bold and it snake_case|rect||", "C c|DB\n(PostgreSQL)|rect||",
			"C d|Car|rect||", "C e|Shape, label|rect||", "C f|f|rect||"}},
		{"last text and shape win", "flowchart LR\n A --> B\n A[One]\n A(Two)", []string{
			"C A|Two|rounded||", "C B|B|||", "F L-A-B-0|A->B||-|solid"}},
		{"edge kinds and styles", `flowchart LR
  A --> B
  A --- B
  A -.-> B
  A -.- B
  A ==> B
  A === B
  A --o B
  A --x B
  A <--> B
  A o--o B
  A x--x B
  A ---> B
  A -..-> B
  A ====> B
  A <--- B`, []string{
			"C A|A|||", "C B|B|||",
			"F L-A-B-0|A->B||-|solid", "F L-A-B-1|A->B||un|solid", "F L-A-B-2|A->B||-|dotted", "F L-A-B-3|A->B||un|dotted",
			"F L-A-B-4|A->B||-|thick", "F L-A-B-5|A->B||un|thick", "F L-A-B-6|A->B||-|solid", "F L-A-B-7|A->B||-|solid",
			"F L-A-B-8|A->B||bi|solid", "F L-A-B-9|A->B||bi|solid", "F L-A-B-10|A->B||bi|solid", "F L-A-B-11|A->B||-|solid",
			"F L-A-B-12|A->B||-|dotted", "F L-A-B-13|A->B||-|thick", "F L-B-A-0|B->A||-|solid"}},
		{"edge labels", `flowchart LR
  A -->|pipe| B
  A -- text form --> B
  A -. dotted text .-> B
  A == thick text ==> B
  A ---|"quoted | pipe"| B
  A -- "#quot;q#quot;" --- B
  A == "a ==> b" ==> B`, []string{
			"C A|A|||", "C B|B|||",
			"F L-A-B-0|A->B|pipe|-|solid", "F L-A-B-1|A->B|text form|-|solid", "F L-A-B-2|A->B|dotted text|-|dotted",
			"F L-A-B-3|A->B|thick text|-|thick", `F L-A-B-4|A->B|quoted | pipe|un|solid`, `F L-A-B-5|A->B|"q"|un|solid`, "F L-A-B-6|A->B|a ==> b|-|thick"}},
		{"edge ids, chains and fan-out", `flowchart LR
  A e1@--> B --> C
  A & B --> C & D
  A e1@--> D`, []string{
			"C A|A|||", "C B|B|||", "C C|C|||", "C D|D|||",
			"F e1|A->B||-|solid", "F L-B-C-0|B->C||-|solid",
			"F L-A-C-0|A->C||-|solid", "F L-A-D-0|A->D||-|solid", "F L-B-C-1|B->C||-|solid", "F L-B-D-0|B->D||-|solid",
			"F L-A-D-1|A->D||-|solid",
			`W 4:8: edge id "e1" is used twice; this link gets a generated id`}},
		{"invisible links are skipped with a warning", "flowchart LR\n A ~~~ B --> C", []string{
			"C A|A|||", "C B|B|||", "C C|C|||", "F L-B-C-0|B->C||-|solid",
			"W 2:4: invisible link A ~~~ B skipped: it only guides the layout"}},
		{"subgraph forms and nesting", `flowchart TB
  subgraph one [First one]
    a
    subgraph two["Second"]
      direction LR
      b
      subgraph three
        c
      end
    end
  end
  subgraph "Quoted title"
    d
  end
  subgraph Multi word title
    e
  end`, []string{
			"C a|a||one|", "C b|b||two|", "C c|c||three|", "C d|d||subGraph3|", "C e|e||subGraph4|",
			"B one|First one||a", "B two|Second|one|b", "B three|three|two|c",
			"B subGraph3|Quoted title||d", "B subGraph4|Multi word title||e"}},
		{"membership follows Mermaid: edge ends inside a subgraph join it", `flowchart LR
  A --> B
  X --> Y
  subgraph S
    A --> B
  end
  subgraph T
    A --> X
  end`, []string{
			"C A|A||S|", "C B|B||S|", "C X|X||T|", "C Y|Y|||",
			"F L-A-B-0|A->B||-|solid", "F L-X-Y-0|X->Y||-|solid", "F L-A-B-1|A->B||-|solid", "F L-A-X-0|A->X||-|solid",
			"B S|S||A,B", "B T|T||X"}},
		{"membership: innermost and first-closed subgraph wins", `flowchart LR
  subgraph outer
    subgraph inner
      a
    end
    a --> b
  end
  subgraph later
    b
    a
    c
  end`, []string{
			"C a|a||inner|", "C b|b||outer|", "C c|c||later|", "F L-a-b-0|a->b||-|solid",
			"B outer|outer||b", "B inner|inner|outer|a", "B later|later||c"}},
		{"repeated subgraph id continues the first block", `flowchart LR
  subgraph S [One]
    a
  end
  subgraph S [Two]
    b
  end`, []string{"C a|a||S|", "C b|b||S|", "B S|Two||a,b"}},
		{"links to subgraphs attach to the boundary, empty subgraph used as node becomes a component", `flowchart LR
  subgraph box [Box]
    a
  end
  subgraph ext [External API]
  end
  x --> box
  box --> a
  x --> ext`, []string{
			"C a|a||box|", "C x|x|||", "C ext|External API|||", "C box|Box||box|",
			"F L-x-box-0|x->box||-|solid", "F L-box-a-0|box->a||-|solid", "F L-x-ext-0|x->ext||-|solid",
			"B box|Box||a,box",
			`W 7:5: link x --> box ends at subgraph "box": attached to the subgraph as a whole, not to a node in it (2 links in all)`}},
		{"classes, styles, click, linkStyle", `flowchart LR
  A:::web --> B[(DB)]:::store
  classDef store fill:#f96
  class B datastore,pii
  class A,B,S web
  class nothere x
  style A fill:#f9f,stroke:#333
  click A callback "Tooltip"
  linkStyle 0 stroke:#f00
  linkStyle 7 stroke:#0f0
  subgraph S
    C
  end`, []string{
			"C A|A|||web", "C B|DB|cylinder||datastore pii store web", "C C|C||S|", "F L-A-B-0|A->B||-|solid",
			"B S|S||C",
			`W 6:3: class statement names unknown node "nothere"`,
			"W 10:3: linkStyle names link 7 but the diagram has 1 links"}},
		{"front matter, directives, comments, accessibility", `---
title: "Payments: overview"
config:
  theme: dark
---
%%{init: {"flowchart": {"htmlLabels": false}}}%%
flowchart RL
  %% a comment
  accTitle: Accessible
  accDescr: Described here
  A --> B %% trailing comment`, []string{
			"C A|A|||", "C B|B|||", "F L-A-B-0|A->B||-|solid"}},
		{"CRLF line endings", "flowchart LR\r\n  A[\"One\"] -->|x| B\r\n  subgraph S [Sub]\r\n    B\r\n  end\r\n", []string{
			"C A|One|rect||", "C B|B||S|", "F L-A-B-0|A->B|x|-|solid", "B S|Sub||B"}},
		{"a node id later used as a subgraph id is that subgraph", "flowchart LR\n  A --> B[Box]\n  subgraph B\n    C\n  end", []string{
			"C A|A|||", "C C|C||B|", "C B|B||B|", "F L-A-B-0|A->B||-|solid", "B B|B||B,C",
			`W 2:9: node "B" has the id of a subgraph; it is read as that subgraph`,
			`W 2:5: link A --> B ends at subgraph "B": attached to the subgraph as a whole, not to a node in it`}},
		{"ids that read like keywords mid-statement", "flowchart LR\n  A --> end\n  A --> graph", []string{
			"C A|A|||", "C end|end|||", "C graph|graph|||", "F L-A-end-0|A->end||-|solid", "F L-A-graph-0|A->graph||-|solid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustImport(t, tc.src)
			diffLines(t, dump(d), tc.want)
		})
	}
}

func TestParseDetails(t *testing.T) {
	d := mustImport(t, `---
title: "Payments: overview"
---
flowchart RL
  accTitle: Accessible
  accDescr: Described here
  A e9@==> B
  A@{ shape: cyl, icon: "fa:fa-db" }
  click A href "https://example.com"
  style A fill:#f9f
  linkStyle 0 stroke:#f00
  subgraph S [Sub]
    direction LR
    C
  end
  class S zone
  e9@{ animate: true }`)
	if d.Title != "Payments: overview" || d.Direction != "RL" || d.Format != "mermaid" || d.File != "t.mmd" {
		t.Errorf("diagram = title %q, direction %q, format %q, file %q", d.Title, d.Direction, d.Format, d.File)
	}
	if len(d.Notes) != 1 || d.Notes[0].Text != "Described here" || d.Notes[0].Pos.Line != 6 {
		t.Errorf("notes = %+v", d.Notes)
	}
	// A is first mentioned on line 7 but defined (given a shape) on line 8.
	a := d.Component("A")
	if a.Pos.Line != 8 || a.Pos.Column != 3 || a.Style != "fill:#f9f" || a.Attributes["icon"] != "fa:fa-db" ||
		a.Attributes["click"] != `href "https://example.com"` || a.Shape != "cyl" {
		t.Errorf("A = %+v", a)
	}
	f := d.Flows[0]
	if f.ID != "e9" || f.Pos.Line != 7 || f.Pos.Column != 8 || f.Style != "stroke:#f00" || f.Attributes["style"] != "thick" || f.Attributes["animate"] != "true" {
		t.Errorf("flow = %+v", f)
	}
	b := d.Boundary("S")
	if b.Attributes["direction"] != "LR" || b.Attributes["class"] != "zone" || b.Pos.Line != 12 || b.Pos.Column != 3 {
		t.Errorf("boundary = %+v", b)
	}
	if len(d.Warnings) != 0 {
		t.Errorf("warnings = %v", d.Warnings)
	}
	// accTitle is the title when there is no front matter.
	d = mustImport(t, "flowchart LR\naccTitle: From acc\nA")
	if d.Title != "From acc" || d.Direction != "LR" {
		t.Errorf("title %q direction %q", d.Title, d.Direction)
	}
	d = mustImport(t, "graph\nA")
	if d.Direction != "TB" {
		t.Errorf("direction %q, want TB", d.Direction)
	}
}
