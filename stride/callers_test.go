package stride

import (
	"slices"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
)

// importOne imports src as file and returns its first diagram.
func importOne(t *testing.T, file, src string) *graph.Diagram {
	t.Helper()
	ds, err := importers.Import(file, []byte(src), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ds[0]
}

// drawioEdge is a draw.io page with a person "Browser" and a process
// "Orders API" in an "App tier" frame, joined by one edge from the API to
// the browser with style.
func drawioEdge(style string) string {
	return `<mxfile><diagram id="p" name="Page-1"><mxGraphModel><root>
<mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="b" value="Browser" style="shape=umlActor;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="40" height="80" as="geometry"/></mxCell>
<mxCell id="z" value="App tier" style="swimlane;container=1;" vertex="1" parent="1"><mxGeometry x="200" y="0" width="300" height="200" as="geometry"/></mxCell>
<mxCell id="api" value="Orders API" style="rounded=0;" vertex="1" parent="z"><mxGeometry x="20" y="40" width="120" height="60" as="geometry"/></mxCell>
<mxCell id="e" value="HTTPS" style="` + style + `" edge="1" parent="1" source="api" target="b"><mxGeometry relative="1" as="geometry"/></mxCell>
</root></mxGraphModel></diagram></mxfile>`
}

// Every importer marks an arrow with heads at both ends, and a line
// without heads, as two-way: both ends call (callers.go).
func TestTwoWayArrowEveryFormat(t *testing.T) {
	tests := []struct {
		name, file, src string
		twoWay          bool
	}{
		{"DOT dir=both", "a.dot", "digraph { api -> b [dir=both] }", true},
		{"DOT dir=none", "a.dot", "digraph { api -> b [dir=none] }", true},
		{"DOT undirected graph", "a.dot", "graph { api -- b }", true},
		{"DOT one way", "a.dot", "digraph { api -> b }", false},
		{"DOT dir=back", "a.dot", "digraph { api -> b [dir=back] }", false},
		{"Mermaid <-->", "a.mmd", "flowchart LR\n  api <--> b\n", true},
		{"Mermaid ---", "a.mmd", "flowchart LR\n  api --- b\n", true},
		{"Mermaid -->", "a.mmd", "flowchart LR\n  api --> b\n", false},
		{"draw.io start and end arrows", "a.drawio", drawioEdge("startArrow=classic;endArrow=classic;"), true},
		{"draw.io no arrows", "a.drawio", drawioEdge("startArrow=none;endArrow=none;"), true},
		{"draw.io end arrow", "a.drawio", drawioEdge("endArrow=classic;"), false},
		{"draw.io start arrow only", "a.drawio", drawioEdge("startArrow=classic;endArrow=none;"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := importOne(t, tt.file, tt.src)
			if len(d.Flows) != 1 {
				t.Fatalf("want 1 flow, got %d", len(d.Flows))
			}
			if got := d.Flows[0].Bidirectional; got != tt.twoWay {
				t.Fatalf("Bidirectional = %v, want %v", got, tt.twoWay)
			}
			a := &analysis{d: d}
			a.readContext()
			fi := a.flows[0]
			n := 0
			for range fi.src.callsIn() {
				n++
			}
			want := 0
			if tt.twoWay {
				want = 1
			}
			if n != want {
				t.Errorf("the drawn source receives %d calls, want %d", n, want)
			}
		})
	}
}

// twoWayCase is a diagram with one two-way arrow between a less trusted
// caller and a more trusted component, in one format, drawn starting at
// either end (src with "A", "B" to fill in); flowRules must fire on that
// arrow either way and callee's Env must see its caller.
type twoWayCase struct {
	name, file, src string
	// hi and lo are the node ids of the more and the less trusted end.
	hi, lo    string
	callee    string // the more trusted end's label
	flowRules []string
	check     func(t *testing.T, e *Env, x exposure)
}

var twoWayCases = []twoWayCase{
	{
		name: "TEE monitor and normal-world driver", file: "tee.dot",
		src: `digraph tee {
  nw [label="Rich OS kernel"]
  subgraph cluster_tee { label="Secure world (TEE)"; mon [label="Secure monitor"]; ta [label="Trusted application"] }
  A -> B [dir=both label="SMC"]
  mon -> ta
}`,
		hi: "mon", lo: "nw", callee: "Secure monitor",
		flowRules: []string{"T-FWL-01", "I-FWL-01", "E-FWL-01", "T-ISO-02", "I-ISO-02"},
		check: func(t *testing.T, e *Env, x exposure) {
			if !e.LocalFacing || e.LocalSenders != "Rich OS kernel" {
				t.Errorf("LocalFacing %v, LocalSenders %q: want the driver", e.LocalFacing, e.LocalSenders)
			}
			if e.PartitionCallers == "" {
				t.Errorf("PartitionCallers empty: the driver's world calls the secure world")
			}
			if x.reach != reachInternet {
				t.Errorf("reach %d (%s), want the widest: the normal world is assumed hostile", x.reach, x.reason)
			}
		},
	},
	{
		name: "hypervisor and guest", file: "hv.dot",
		src: `digraph hv {
  subgraph cluster_hv { label="Hypervisor"; vmm [label="VMM"] }
  subgraph cluster_g { label="Guest VM"; gk [label="Guest kernel"] }
  A -> B [dir=both label="hypercall"]
}`,
		hi: "vmm", lo: "gk", callee: "VMM",
		flowRules: []string{"T-ISO-02", "I-ISO-02"},
		check: func(t *testing.T, e *Env, x exposure) {
			if e.PartitionCallers != "Guest VM" {
				t.Errorf("PartitionCallers %q, want Guest VM", e.PartitionCallers)
			}
			if !e.InboundCrossing {
				t.Errorf("InboundCrossing false: the guest's hypercalls cross into the hypervisor")
			}
		},
	},
	{
		name: "VPN gateway", file: "vpn.mmd",
		src: "flowchart LR\n  u([\"Remote employee\"])\n  subgraph corp [Corporate network]\n    vpn[\"VPN gateway\"]\n    hr[\"HR app\"]\n  end\n  A <-->|\"IPsec\"| B\n  vpn --> hr\n",
		hi:  "vpn", lo: "u", callee: "VPN gateway",
		check: func(t *testing.T, e *Env, x exposure) {
			if !e.InternetFacing || e.InternetSenders != "Remote employee" {
				t.Errorf("InternetFacing %v, InternetSenders %q: want the employee", e.InternetFacing, e.InternetSenders)
			}
			if x.reach != reachInternet {
				t.Errorf("reach %d (%s), want internet", x.reach, x.reason)
			}
		},
	},
}

// A two-way arrow is read the same whichever end the author started it
// from: the less trusted end's calls into the more trusted one raise the
// same threats and make the same Env, drawn A <-> B or B <-> A.
func TestTwoWayArrowEitherEnd(t *testing.T) {
	for _, tt := range twoWayCases {
		var ruleSets [2][]string
		for i, ends := range [2][2]string{{tt.hi, tt.lo}, {tt.lo, tt.hi}} {
			src := strings.Replace(strings.Replace(tt.src, "A ", ends[0]+" ", 1), " B", " "+ends[1], 1)
			t.Run(tt.name+" from "+ends[0], func(t *testing.T) {
				d := importOne(t, tt.file, src)
				a := &analysis{d: d}
				a.readContext()
				ci := a.byID[tt.hi]
				if ci == nil || ci.label != tt.callee {
					t.Fatalf("no component %s labelled %q", tt.hi, tt.callee)
				}
				tt.check(t, ci.env, ci.reach)
				r := analyze(t, d, Options{Unfolded: true})
				var fid string
				for _, f := range d.Flows {
					if f.Bidirectional {
						fid = f.ID
					}
				}
				var got []string
				for _, th := range r.Threats {
					if th.Element.Type == "flow" && th.Element.ID == fid {
						got = append(got, th.Rule)
					}
				}
				slices.Sort(got)
				ruleSets[i] = got
				for _, w := range tt.flowRules {
					if !slices.Contains(got, w) {
						t.Errorf("%s does not fire on the two-way arrow; got %v", w, got)
					}
				}
			})
		}
		if !slices.Equal(ruleSets[0], ruleSets[1]) {
			t.Errorf("%s: drawn from %s the arrow raises %v, from %s %v", tt.name, tt.hi, ruleSets[0], tt.lo, ruleSets[1])
		}
	}
}

// A web backend joined to the browser by a draw.io edge with arrows at
// both ends, drawn from the backend, is internet-facing: the browser
// calls it.
func TestTwoWayDrawioEdgeFromBackend(t *testing.T) {
	for _, tt := range []struct {
		style    string
		internet bool
	}{
		{"startArrow=classic;endArrow=classic;", true},
		{"endArrow=classic;", false},
	} {
		d := importOne(t, "web.drawio", drawioEdge(tt.style))
		a := &analysis{d: d}
		a.readContext()
		api := a.byID["api"]
		if got := api.env.InternetFacing; got != tt.internet {
			t.Errorf("%s: Orders API InternetFacing = %v, want %v", tt.style, got, tt.internet)
		}
		if got := len(api.eps) > 0; got != tt.internet {
			t.Errorf("%s: Orders API entry points %v", tt.style, api.eps)
		}
	}
}

// A dispatcher that takes the normal world's calls and passes them on
// exposes its callee to the normal world; a gateway in front of a web
// service does not (its callee keeps partner reach); a store is no relay.
func TestRelayCarriesCallersTrust(t *testing.T) {
	tests := []struct {
		name, file, src, callee string
		reach                   int
	}{
		{"dispatcher in the secure monitor", "tee.dot", `digraph {
  nw [label="Rich OS kernel"]
  subgraph cluster_tee { label="Secure world (TEE)"; disp [label="SMC dispatcher"]; pm [label="Partition manager"] }
  pm -> disp [dir=both label="forwarded calls"]
  disp -> nw [dir=both label="SMC"]
}`, "pm", reachInternet},
		{"service behind an API gateway", "web.mmd", "flowchart LR\n  u([\"Customer\"])\n  subgraph dmz [DMZ]\n    gw[\"API Gateway\"]\n  end\n  subgraph app [App tier]\n    svc[\"Orders Service\"]\n  end\n  u -->|HTTPS| gw\n  gw --> svc\n", "svc", reachPartner},
		{"worker reading a store the internet writes", "q.mmd", "flowchart LR\n  u([\"Customer\"])\n  subgraph app [App tier]\n    api[\"Upload API\"]\n    db[(\"Uploads DB\")]\n  end\n  subgraph batch [Batch tier]\n    w[\"Thumbnail worker\"]\n  end\n  u -->|HTTPS| api\n  api --> db\n  db --> w\n", "w", reachInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &analysis{d: importOne(t, tt.file, tt.src)}
			a.readContext()
			ci := a.byID[tt.callee]
			if ci.reach.content != tt.reach {
				t.Errorf("%s: content reach %d (%s), want %d", ci.label, ci.reach.content, ci.reach.contentReason, tt.reach)
			}
		})
	}
}
