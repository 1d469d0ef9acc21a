package stride

import (
	"slices"
	"strings"
	"testing"
)

func TestDistrustsReadsSubjectFirst(t *testing.T) {
	tests := []struct {
		label, subject, object string
		ok                     bool
	}{
		{"EL3 monitor, SPMD, SPMC do not trust SPs", "el3 monitor spmd spmc", "sps", true},
		{"Payments core does not trust batch jobs", "payments core", "batch jobs", true},
		{"The kernel doesn't trust user space", "the kernel", "user space", true},
		{"Host distrusts guests", "host", "guests", true},
		{"Trusted zone", "", "", false},
		{"Not trusted", "", "", false},
	}
	for _, tt := range tests {
		s, o, ok := distrusts(tt.label)
		if ok != tt.ok || s != tt.subject || o != tt.object {
			t.Errorf("distrusts(%q) = %q, %q, %v; want %q, %q, %v", tt.label, s, o, ok, tt.subject, tt.object, tt.ok)
		}
	}
}

// Components drawn outside a frame the author calls the trust boundary,
// calling into it, are less trusted callers of its inside, never the
// internet; a frame whose words say it is not trusted makes nobody less
// trusted.
func TestOutsideTrustFrame(t *testing.T) {
	tests := []struct {
		name, file, src string
		caller          string
		trust           int
		local           string
		flowRules       []string // must fire on the caller's flow
	}{
		{
			name: "worker beside the trust boundary", file: "w.mmd",
			src:    "flowchart LR\n  u([\"Customer\"])\n  subgraph tb [Trust boundary]\n    api[\"Orders API\"]\n  end\n  w[\"Report worker\"]\n  u -->|HTTPS| api\n  w -->|reads orders| api\n",
			caller: "w", trust: TrustDMZ,
		},
		{
			name: "sentence on the frame", file: "s.dot",
			src:    `digraph { subgraph cluster_core { label="Payments core does not trust batch jobs"; pay [label="Payment service"] } subgraph cluster_batch { label="Batch"; job [label="Settlement job"] } job -> pay [label="settle"] }`,
			caller: "job", trust: TrustDMZ,
		},
		{
			name: "frame read backwards is no trust boundary", file: "n.dot",
			src:    `digraph { subgraph cluster_x { label="Not trusted"; pay [label="Payment service"] } subgraph cluster_batch { label="Batch"; job [label="Settlement job"] } job -> pay [label="settle"] }`,
			caller: "job", trust: TrustInternal,
		},
		{
			name: "two trust frames calling each other", file: "two.dot",
			src:    `digraph { subgraph cluster_a { label="Trusted zone A"; a [label="Billing service"] } subgraph cluster_b { label="Trusted zone B"; b [label="Ledger service"] } a -> b [dir=both] }`,
			caller: "a", trust: TrustInternal,
		},
		{
			name: "secure partitions beside the trusted firmware", file: "fw.dot",
			src: `digraph {
  subgraph cluster_trusted { label="Trusted"; subgraph cluster_mon { label="Secure monitor (EL3)"; mon [label="Partition manager"] } }
  subgraph cluster_sp { label="Secure partitions"; sp [label="Crypto partition"] }
  sp -> mon [label="messages"]
}`,
			caller: "sp", trust: TrustUntrusted, local: localWorld,
			flowRules: []string{"T-FWL-01", "I-FWL-01"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := importOne(t, tt.file, tt.src)
			a := &analysis{d: d}
			a.readContext()
			ci := a.byID[tt.caller]
			if ci.trust != tt.trust || ci.local != tt.local {
				t.Fatalf("%s: trust %d local %q (%s); want %d %q", ci.label, ci.trust, ci.local, ci.zoneReason, tt.trust, tt.local)
			}
			if ci.onInternet() || ci.env.Internet {
				t.Errorf("%s is read as on the internet", ci.label)
			}
			for _, fi := range ci.out {
				if fi.env.Internet || strings.Contains(fi.dst.env.InternetSenders, ci.label) {
					t.Errorf("%s: read as an internet flow", fi.name())
				}
			}
			if len(tt.flowRules) == 0 {
				return
			}
			r := analyze(t, d, Options{Unfolded: true})
			var got []string
			for _, th := range r.Threats {
				if th.Element.Type == "flow" && th.Element.ID == ci.out[0].f.ID {
					got = append(got, th.Rule)
				}
			}
			for _, w := range tt.flowRules {
				if !slices.Contains(got, w) {
					t.Errorf("%s does not fire on %s; got %v", w, ci.out[0].name(), got)
				}
			}
		})
	}
}
