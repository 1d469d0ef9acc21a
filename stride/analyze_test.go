package stride

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Diagrams used by the rule-family tests: an internet user, an edge proxy,
// a service and stores, in nested boundaries.
var (
	famBounds = []string{"inet:Internet:", "vpc:Production VPC:", "dmz:DMZ:vpc", "app:App Tier:vpc", "data:Data Tier:app"}
	famComps  = []string{
		"user:Customer:actor:inet", "gw:API Gateway::dmz", "svc:Orders Service::app", "db:Orders DB:cylinder:data",
		"bucket:Invoices Bucket (S3):cylinder:data", "q:Jobs Queue:cylinder:app", "worker:Mailer Worker::app",
		"psp:Stripe::", "admin:Admin Console::app",
	}
)

func TestSpoofingRules(t *testing.T) {
	d := mini(t, famBounds, famComps, []string{
		"user>gw:HTTPS", "gw>svc:HTTP", "psp>gw:Webhook HTTPS", "svc>psp:HTTPS, API key (card data)",
		"svc>db:PostgreSQL (PII)",
	})
	r := analyze(t, d, Options{})
	// An internet user starting flows can be impersonated. No identity
	// provider is drawn, so the threat sits on the one component the
	// customer signs in to, which must tell them from an impostor.
	th := oneThreat(t, r, "S-EXT-01", "API Gateway")
	if th.Element.Type != "component" || th.Element.ID != "gw" || !strings.Contains(th.Title, "signs in as a customer") ||
		!slices.ContainsFunc(th.Reasons, func(s string) bool {
			return strings.HasPrefix(s, "placed on API Gateway, which accepts Customer's requests")
		}) {
		t.Errorf("S-EXT-01: %+v", th)
	}
	// Unsigned webhooks from a payment provider can be forged: the
	// integration's risk, on the receiver that must verify them.
	th = oneThreat(t, r, "S-EXT-02", "API Gateway")
	if th.Status != "Unmitigated" || th.Impact != 5 || !strings.Contains(th.Description, "payment succeeded") || !strings.Contains(th.Title, "Forged Stripe callback") {
		t.Errorf("S-EXT-02: status %s impact %d %q", th.Status, th.Impact, th.Description)
	}
	// Per interaction: the unauthenticated DMZ → app hop, its entry point
	// among the threat's, one threat with the processes that cannot tell
	// their callers from impostors (one concern, concern.go).
	th = oneThreat(t, r, "S-INT-01", "API Gateway → Orders Service")
	hopEP := ""
	for _, f := range r.Flows {
		if f.Source == "gw" && f.Target == "svc" {
			hopEP = f.EntryPoint
		}
	}
	if th.Element.Type != "flow" || hopEP == "" || !slices.Contains(th.EntryPoints, hopEP) || !strings.Contains(th.Title, "posing as API Gateway") ||
		!slices.ContainsFunc(th.Members, func(m Member) bool { return m.Rule == "S-BASE-PRC" && m.Element.ID == "svc" }) {
		t.Errorf("S-INT-01: %+v", th)
	}
	// A store reached without authentication.
	oneThreat(t, r, "S-INT-03", "Orders Service → Orders DB")
	// The same webhook, signed: mitigated by the HMAC.
	d2 := mini(t, famBounds, famComps, []string{"psp>gw:signed webhook HTTPS (payment events)", "svc>psp:HTTPS"})
	th = oneThreat(t, analyze(t, d2, Options{}), "S-EXT-02", "API Gateway")
	if !reflect.DeepEqual(th.ExistingControls, []string{"hmac"}) || th.ResidualLikelihood != 1 || th.Status != "Mitigated" {
		t.Errorf("signed webhook: controls %v residual L %d status %s", th.ExistingControls, th.ResidualLikelihood, th.Status)
	}
}

func TestTamperingRules(t *testing.T) {
	d := mini(t, famBounds, famComps, []string{
		"user>gw:HTTPS", "gw>svc:HTTPS, JWT", "svc>db:SQL", "svc>bucket:S3 API", "svc>q:enqueue", "q>worker:poll",
		"worker>db:SQL",
	})
	r := analyze(t, d, Options{})
	oneThreat(t, r, "T-INT-01", "Orders Service → Orders DB")
	oneThreat(t, r, "T-INT-02", "Orders Service → Invoices Bucket (S3)")
	oneThreat(t, r, "T-INT-03", "Orders Service → Jobs Queue")
	oneThreat(t, r, "T-PRC-01", "Orders Service")
	// The worker only reads from the queue: it takes no untrusted input
	// directly, so no injection threat is raised from it.
	if n := len(threatsBy(r, "T-INT-01", "Mailer Worker → Orders DB")); n != 0 {
		t.Errorf("T-INT-01 on the worker: %d", n)
	}
	// Cleartext flows across a boundary can be modified.
	d2 := mini(t, famBounds, famComps, []string{"user>gw:HTTP"})
	th := oneThreat(t, analyze(t, d2, Options{}), "T-FLW-01", "Customer → API Gateway")
	// Anyone on the internet path (exposure 5) and an attacker who knows
	// the protocol (skill 3): (5 + 3) / 2 = 4.
	if th.Likelihood != 4 || th.Scoring.Exposure != 5 || th.Scoring.Skill != 3 {
		t.Errorf("T-FLW-01 likelihood %d, scoring %+v", th.Likelihood, th.Scoring)
	}
}

func TestRepudiationRules(t *testing.T) {
	d := mini(t, famBounds, famComps, []string{"user>gw:HTTPS", "gw>svc:HTTPS", "svc>db:SQL (PHI)", "svc>psp:HTTPS (payment)", "admin>db:SQL"})
	r := analyze(t, d, Options{})
	th := oneThreat(t, r, "R-DS-01", "Orders DB")
	if !strings.Contains(th.Description, "HIPAA") {
		t.Errorf("R-DS-01 on a PHI store should cite HIPAA: %q", th.Description)
	}
	th = oneThreat(t, r, "R-PRC-01", "Orders Service")
	// Regulated data makes every change answerable: the asset counts 4
	// for repudiation instead of the usual cap of 3.
	if th.Scoring.Asset != 4 {
		t.Errorf("R-PRC-01 asset %d (%s), want 4 for PHI", th.Scoring.Asset, th.Scoring.AssetReason)
	}
	oneThreat(t, r, "R-EXT-02", "Stripe")
	oneThreat(t, r, "R-PRC-02", "Admin Console")
}

func TestDisclosureRules(t *testing.T) {
	d := mini(t, famBounds, famComps, []string{"user>gw:HTTPS", "gw>svc:HTTPS, JWT", "svc>bucket:S3 API (PII)", "svc>db:SQL over TLS (PII)"})
	r := analyze(t, d, Options{})
	oneThreat(t, r, "I-DS-02", "Invoices Bucket (S3)")
	oneThreat(t, r, "I-DS-01", "Orders DB")
	th := oneThreat(t, r, "I-PRC-01", "Orders Service")
	// An authorisation gap on personal data any internet caller can try
	// by changing an id (skill 5) is Critical.
	if th.Severity != SeverityCritical || th.Scoring.Skill != 5 {
		t.Errorf("BOLA severity %s, scoring %+v", th.Severity, th.Scoring)
	}
	// Flows: TLS flow is listed but mitigated; the unknown one is only
	// partly mitigated, by the VPC around both ends.
	tls := oneThreat(t, r, "I-FLW-01", "Orders Service → Orders DB")
	unk := oneThreat(t, r, "I-FLW-01", "Orders Service → Invoices Bucket (S3)")
	if tls.Status != "Mitigated" || unk.Status != "Partial" || !reflect.DeepEqual(unk.ExistingControls, []string{"network-isolation"}) {
		t.Errorf("I-FLW-01 status: TLS %s, unknown %s %v", tls.Status, unk.Status, unk.ExistingControls)
	}
}

func TestDenialRules(t *testing.T) {
	flows := []string{"user>gw:HTTPS", "gw>svc:HTTPS", "svc>q:SQS", "q>worker:SQS", "svc>psp:HTTPS"}
	r := analyze(t, mini(t, famBounds, famComps, flows), Options{})
	th := oneThreat(t, r, "D-PRC-02", "Mailer Worker")
	if th.Status != "Unmitigated" {
		t.Errorf("D-PRC-02 status %s", th.Status)
	}
	oneThreat(t, r, "D-PRC-01", "API Gateway")
	oneThreat(t, r, "D-FLW-01", "Orders Service → Stripe")
	oneThreat(t, r, "D-DS-01", "Jobs Queue")
	// A dead-letter queue declared in the config mitigates the poison message.
	cfg := &Config{Components: map[string]ComponentConfig{"Mailer Worker": {Controls: []string{"dlq"}}}}
	th = oneThreat(t, analyze(t, mini(t, famBounds, famComps, flows), Options{Config: cfg}), "D-PRC-02", "Mailer Worker")
	if th.Status != "Mitigated" || !reflect.DeepEqual(th.ExistingControls, []string{"dlq"}) {
		t.Errorf("with dlq: status %s controls %v", th.Status, th.ExistingControls)
	}
	for _, m := range th.Mitigations {
		if strings.Contains(m.Control, "dead-letter") {
			t.Errorf("mitigation already in place is still recommended: %q", m.Control)
		}
	}
}

func TestElevationRules(t *testing.T) {
	d := mini(t, famBounds, famComps, []string{"user>gw:HTTPS", "gw>svc:gRPC, JWT", "svc>bucket:S3 API, IAM role (PII)", "gw>admin:HTTP"})
	r := analyze(t, d, Options{})
	oneThreat(t, r, "E-PRC-02", "Orders Service")
	th := oneThreat(t, r, "E-PRC-04", "Orders Service")
	if th.Scoring.Exposure != 4 {
		t.Errorf("E-PRC-04 exposure %d (%s), want 4 (input from the DMZ)", th.Scoring.Exposure, th.Scoring.ExposureReason)
	}
	oneThreat(t, r, "E-PRC-01", "Admin Console")
	oneThreat(t, r, "E-PRC-03", "Admin Console")
}

// HTTP is known cleartext; gRPC with nothing said is unknown. Unknown must
// not be treated as false: the HTTP flow gets the higher likelihood.
func TestUnknownIsNotFalse(t *testing.T) {
	like := map[string]int{}
	for _, label := range []string{"HTTP (PII)", "gRPC (PII)", "HTTPS (PII)"} {
		d := mini(t, famBounds, famComps, []string{"gw>svc:" + label})
		th := oneThreat(t, analyze(t, d, Options{}), "I-FLW-01", "API Gateway → Orders Service")
		like[label] = th.ResidualLikelihood
		if label == "gRPC (PII)" && th.Likelihood != 3 {
			t.Errorf("unknown encryption: likelihood %d, want 3", th.Likelihood)
		}
	}
	if !(like["HTTP (PII)"] > like["gRPC (PII)"] && like["gRPC (PII)"] > like["HTTPS (PII)"]) {
		t.Errorf("residual likelihoods %v: want HTTP > unknown > HTTPS", like)
	}
	// Unknown raises an open question; known cleartext does not need one.
	r := analyze(t, mini(t, famBounds, famComps, []string{"gw>svc:gRPC (PII)"}), Options{})
	if !hasQuestion(r, "encrypted with TLS") {
		t.Errorf("no open question for unknown encryption: %+v", r.OpenQuestions)
	}
	r = analyze(t, mini(t, famBounds, famComps, []string{"gw>svc:HTTP (PII)"}), Options{})
	if hasQuestion(r, "encrypted with TLS") {
		t.Errorf("open question for a flow known to be cleartext")
	}
}

func hasQuestion(r *Report, sub string) bool {
	for _, q := range r.OpenQuestions {
		if strings.Contains(q.Question, sub) {
			return true
		}
	}
	return false
}

// TLS shown on a flow lowers the residual risk of the threats it mitigates
// and not of the others.
func TestTLSControlLowersResidual(t *testing.T) {
	plain := mini(t, famBounds, famComps, []string{"user>gw:HTTPS", "gw>svc:JWT (PHI)"})
	tls := mini(t, famBounds, famComps, []string{"user>gw:HTTPS", "gw>svc:JWT (PHI)"})
	tls.Flows[1].Attributes["encrypted"] = "true"
	rp, rt := analyze(t, plain, Options{}), analyze(t, tls, Options{})
	a := oneThreat(t, rp, "I-FLW-01", "API Gateway → Orders Service")
	b := oneThreat(t, rt, "I-FLW-01", "API Gateway → Orders Service")
	if len(a.ExistingControls) != 0 || !reflect.DeepEqual(b.ExistingControls, []string{"tls"}) {
		t.Fatalf("controls: without %v, with %v", a.ExistingControls, b.ExistingControls)
	}
	if !(b.ResidualScore < a.ResidualScore) || b.ResidualLikelihood != 1 || b.ResidualImpact != b.Impact || b.Status != "Mitigated" {
		t.Errorf("residual without TLS %d (%s), with TLS %d (L %d→%d, %s)", a.ResidualScore, a.Status, b.ResidualScore, b.Likelihood, b.ResidualLikelihood, b.Status)
	}
	for _, m := range b.Mitigations {
		if strings.Contains(m.Control, "TLS 1.2") {
			t.Errorf("TLS still recommended once shown: %q", m.Control)
		}
	}
	// The JWT-forgery threat is not mitigated by TLS.
	x, y := oneThreat(t, rp, "E-PRC-02", "Orders Service"), oneThreat(t, rt, "E-PRC-02", "Orders Service")
	if x.ResidualScore != y.ResidualScore {
		t.Errorf("TLS changed an unrelated threat: %d vs %d", x.ResidualScore, y.ResidualScore)
	}
	// Priority follows residual severity.
	if a.Mitigations[0].Priority != a.ResidualRisk.Priority() || a.ResidualRisk == SeverityLow || b.Mitigations[0].Priority != "P4" {
		t.Errorf("priorities %s, %s", a.Mitigations[0].Priority, b.Mitigations[0].Priority)
	}
}

type epView struct{ ID, Name, Label, Direction string }

type threatView struct{ ID, Rule, Element, Title, Severity string }

func views(r *Report) ([]epView, []threatView, []string) {
	var eps []epView
	for _, e := range r.EntryPoints {
		eps = append(eps, epView{e.ID, e.Name, e.Label, e.Direction})
	}
	var ts []threatView
	for _, th := range r.Threats {
		ts = append(ts, threatView{th.ID, th.Rule, th.ElementName, th.Title + "|" + th.Description + "|" + strings.Join(th.EntryPoints, ","), string(th.Severity)})
	}
	var qs []string
	for _, q := range r.OpenQuestions {
		qs = append(qs, q.ID+" "+q.Question+" "+strings.Join(q.Threats, ","))
	}
	return eps, ts, qs
}

// The same system with draw.io-style numeric IDs, in shuffled order, gets
// the same entry-point numbers, threats and questions.
func TestNumberingIndependentOfIDsAndOrder(t *testing.T) {
	spec := telehealthSpec()
	ref := analyze(t, spec.build(t, nil, nil), Options{})
	eps0, ts0, qs0 := views(ref)
	if len(eps0) != 11 {
		t.Fatalf("%d entry points, want 11", len(eps0))
	}
	for seed := int64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewSource(seed))
		ids := map[string]string{}
		perm := rng.Perm(1000)
		n := 0
		idOf := func(kind, key string) string {
			k := kind + ":" + key
			if id, ok := ids[k]; ok {
				return id
			}
			ids[k] = strconv.Itoa(perm[n] + 2)
			n++
			return ids[k]
		}
		r := analyze(t, spec.build(t, idOf, rng), Options{})
		eps, ts, qs := views(r)
		if !reflect.DeepEqual(eps, eps0) {
			t.Fatalf("seed %d: entry points differ:\n%v\n%v", seed, eps, eps0)
		}
		if !reflect.DeepEqual(ts, ts0) {
			for i := range ts {
				if i < len(ts0) && ts[i] != ts0[i] {
					t.Fatalf("seed %d: threat %d differs:\n%v\n%v", seed, i, ts[i], ts0[i])
				}
			}
			t.Fatalf("seed %d: %d threats, want %d", seed, len(ts), len(ts0))
		}
		if !reflect.DeepEqual(qs, qs0) {
			t.Fatalf("seed %d: open questions differ:\n%v\n%v", seed, qs, qs0)
		}
	}
	// Entry points are listed inbound first, from the least trusted
	// source; their ids come from what they are, not from that order.
	want := []string{"Clinician → CDN / WAF", "Patient → CDN / WAF", "Stripe Payments → API Gateway"}
	for i, w := range want {
		if eps0[i].Name != w || eps0[i].Direction != "inbound" || !epIDPattern.MatchString(eps0[i].ID) {
			t.Errorf("EP %d = %+v, want %s inbound", i+1, eps0[i], w)
		}
	}
	if last := eps0[len(eps0)-1]; last.Direction != "outbound" {
		t.Errorf("last entry point %+v, want outbound", last)
	}
}

func TestTelehealthModel(t *testing.T) {
	r := analyze(t, telehealthSpec().build(t, nil, nil), Options{Generator: "threatmap test"})
	// 14 components and 15 flows: the specific threats, plus the
	// STRIDE-per-element coverage threats folded one per concern.
	// The upper bound grew from 75 with the threat families of issue 14
	// (web client, secrets, identity, forwarded identity, queues, DoS) and
	// the model-level gaps: each is a concern an expert raises on this
	// system, not a repetition.
	if n := len(r.Threats); n < 30 || n > 90 {
		t.Errorf("%d threats, want a focused 30-90", n)
	}
	// A coverage threat may be folded into a specific rule's threat of
	// its concern (concern.go): it counts where a member names it.
	coverage := 0
	for _, th := range r.Threats {
		base := strings.Contains(th.Rule, "-BASE-")
		for _, m := range th.Members {
			base = base || strings.Contains(m.Rule, "-BASE-")
		}
		if base {
			coverage++
		}
	}
	if coverage < 10 || coverage > 20 {
		t.Errorf("%d coverage threats, want one per concern (10-20)", coverage)
	}
	checkThreatList(t, r)
	// Every category is represented.
	for _, n := range Categories {
		if r.Summary.ByCategory[n] == 0 {
			t.Errorf("no %s threats", n)
		}
	}
	// Highlights a reviewer expects.
	oneThreat(t, r, "S-EXT-02", "API Gateway")
	oneThreat(t, r, "I-PRC-01", "Appointments Service")
	oneThreat(t, r, "T-FLW-01", "API Gateway → Web App")
	oneThreat(t, r, "I-FLW-01", "Notification Worker → SendGrid Email")
	// The webhook reaches the gateway without passing the CDN/WAF, so the
	// gateway's flood threat is not fully mitigated by the WAF.
	if th := oneThreat(t, r, "D-PRC-01", "API Gateway"); th.Status == "Mitigated" {
		t.Errorf("API Gateway flood mitigated by a WAF the webhook bypasses: %v", th.ExistingControls)
	}
	// Cross references agree.
	byID := map[string]Threat{}
	for _, th := range r.Threats {
		byID[th.ID] = th
	}
	for _, f := range r.Flows {
		for _, id := range f.Threats {
			if !onElement(byID[id], "flow", f.ID) {
				t.Errorf("flow %s lists %s on %s", f.ID, id, byID[id].Element.ID)
			}
		}
	}
	for _, e := range r.EntryPoints {
		for _, id := range e.Threats {
			if !contains(byID[id].EntryPoints, e.ID) {
				t.Errorf("%s lists %s which does not list it", e.ID, id)
			}
		}
	}
	for _, c := range r.Components {
		if c.Label == "Appointments Service" && c.MaxSeverity != SeverityCritical {
			t.Errorf("Appointments Service max severity %q", c.MaxSeverity)
		}
	}
	if len(r.OpenQuestions) < 5 {
		t.Errorf("%d open questions", len(r.OpenQuestions))
	}
	if !hasQuestion(r, "What data does Reminder Queue (SQS) hold") || !hasQuestion(r, "Is the Redis flow Auth Service → Session Cache (Redis) encrypted") {
		t.Errorf("expected questions missing: %+v", r.OpenQuestions)
	}
	total := 0
	for _, v := range r.Summary.BySeverity {
		total += v
	}
	if total != len(r.Threats) || r.Summary.EntryPoints != 11 || r.Summary.Components != 14 || r.Summary.Flows != 15 {
		t.Errorf("summary %+v", r.Summary)
	}
}

// checkThreatList checks what holds for every threat of every report:
// numbering, no duplicates, consistent scores, order, filled templates
// and texts that name their element.
func checkThreatList(t *testing.T, r *Report) {
	t.Helper()
	seen, ids := map[string]bool{}, map[string]bool{}
	for i, th := range r.Threats {
		if !threatIDPattern.MatchString(th.ID) || ids[th.ID] {
			t.Errorf("threat %d has id %s (malformed or repeated)", i, th.ID)
		}
		ids[th.ID] = true
		key := th.Rule + "|" + th.Element.Type + "|" + th.Element.ID
		if seen[key] {
			t.Errorf("duplicate threat %s", key)
		}
		seen[key] = true
		if th.Score != th.Likelihood*th.Impact || th.Severity != Band(th.Score) || th.ResidualRisk != Band(th.ResidualScore) {
			t.Errorf("%s: inconsistent scores %+v", th.ID, th)
		}
		if i > 0 && r.Threats[i-1].Score < th.Score {
			t.Errorf("%s: not sorted by score", th.ID)
		}
		if strings.Contains(th.Title, "<no value>") || strings.Contains(th.Description, "<no value>") {
			t.Errorf("%s: template hole: %q", th.ID, th.Title)
		}
		if th.Element.Type == AppliesSystem {
			continue
		}
		names := memberNames(r, th)
		if names == nil {
			names = []string{th.ElementName}
		}
		// A group's texts name its first namedMax distinct members and
		// count the rest once there are more than namedMax+1 of them.
		if uniq := distinctNames(names); len(uniq) > namedMax+1 {
			names = uniq[:namedMax]
			if !strings.Contains(th.Title+th.Description, " more") {
				t.Errorf("%s: text names %d of %d members without counting the rest: %q", th.ID, namedMax, len(uniq), th.Title)
			}
		}
		for _, n := range names {
			if !strings.Contains(th.Title+th.Description, strings.Split(n, " → ")[0]) {
				t.Errorf("%s: text does not name its element %q: %q", th.ID, n, th.Title)
			}
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestAnalyzeDoesNotMutateAndIsDeterministic(t *testing.T) {
	d := telehealthSpec().build(t, nil, nil)
	before, _ := json.Marshal(d)
	r1 := analyze(t, d, Options{})
	after, _ := json.Marshal(d)
	if string(before) != string(after) {
		t.Fatal("Analyze modified the diagram")
	}
	r2 := analyze(t, d, Options{})
	j1, _ := json.Marshal(r1)
	j2, _ := json.Marshal(r2)
	if string(j1) != string(j2) {
		t.Fatal("two runs differ")
	}
	if r1.Diagram != d {
		t.Error("Report.Diagram is not the input diagram")
	}
}

func TestDefaultedComponentRaisesQuestion(t *testing.T) {
	d := mini(t, []string{"a:Internal:"}, []string{"x:Frobnicator::a", "u:Operator:actor:"}, []string{"u>x:HTTPS"})
	r := analyze(t, d, Options{})
	if !hasQuestion(r, "Is Frobnicator an external entity, a process or a data store?") {
		t.Errorf("no classification question: %+v", r.OpenQuestions)
	}
	if !hasQuestion(r, "How do Operator users authenticate") {
		t.Errorf("no authentication question: %+v", r.OpenQuestions)
	}
}

// A diagram without boundaries gets the implicit boundary between its
// people and third parties and the system: the customer's flow is an entry
// point, the assumption is stated, and one question asks for the zones
// instead of one per component.
func TestNoBoundaries(t *testing.T) {
	d := mini(t, nil, []string{"u:Customer:actor:", "s:Shop Service::", "db:Shop DB:cylinder:"}, []string{"u>s:HTTPS", "s>db:SQL (PII)"})
	r := analyze(t, d, Options{})
	if len(r.EntryPoints) != 1 || r.EntryPoints[0].Boundaries[0] != ImplicitBoundaryID || r.EntryPoints[0].Direction != string(DirInbound) {
		t.Fatalf("entry points without boundaries: %+v", r.EntryPoints)
	}
	if len(r.Assumptions) != 1 || !strings.Contains(r.Assumptions[0], "Implicit trust boundary") {
		t.Errorf("assumptions: %q", r.Assumptions)
	}
	last := r.Boundaries[len(r.Boundaries)-1]
	if !last.Implicit || !reflect.DeepEqual(last.Members, []string{"db", "s"}) {
		t.Errorf("implicit boundary: %+v", last)
	}
	for _, c := range r.Components {
		want := map[string]int{"u": TrustUntrusted, "s": TrustDMZ, "db": TrustInternal}[c.ID]
		if c.Trust != want || c.ZoneReason == "" {
			t.Errorf("%s: trust %d (%s), want %d", c.ID, c.Trust, c.ZoneReason, want)
		}
	}
	oneThreat(t, r, "T-INT-01", "Shop Service → Shop DB")
	oneThreat(t, r, "D-PRC-01", "Shop Service")
	n := 0
	for _, q := range r.OpenQuestions {
		if strings.Contains(q.Question, "boundar") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d boundary questions, want 1: %+v", n, r.OpenQuestions)
	}
}

// Processes and stores drawn outside the boxes of a diagram that has
// boundaries are not the internet: a worker is internal, a provider's
// managed service is in the provider's zone, and only people and third
// parties are untrusted. The worker's call to a SaaS is outbound.
func TestOutsideEveryBoundary(t *testing.T) {
	d := mini(t, []string{"vpc:Production VPC:"},
		[]string{"u:Customer:actor:", "api:Orders API::vpc", "w:Report Worker::", "cw:CloudWatch Logs::", "psp:Stripe::"},
		[]string{"u>api:HTTPS", "api>w:AMQP", "w>cw:HTTPS", "w>psp:HTTPS"})
	r := analyze(t, d, Options{})
	zones := map[string]string{}
	for _, c := range r.Components {
		zones[c.ID] = c.TrustName + " / " + c.Zone
	}
	want := map[string]string{"u": "untrusted / outside the system", "api": "internal / Production VPC",
		"w": "internal / outside every boundary", "cw": "internal / provider-managed services", "psp": "untrusted / outside the system"}
	if !reflect.DeepEqual(zones, want) {
		t.Errorf("zones %v\nwant %v", zones, want)
	}
	dirs := map[string]string{}
	for _, ep := range r.EntryPoints {
		dirs[ep.Name] = ep.Direction
	}
	wantDirs := map[string]string{"Customer → Orders API": "inbound", "Orders API → Report Worker": "lateral",
		"Report Worker → CloudWatch Logs": "lateral", "Report Worker → Stripe": "outbound"}
	if !reflect.DeepEqual(dirs, wantDirs) {
		t.Errorf("entry points %v\nwant %v", dirs, wantDirs)
	}
	if !hasQuestion(r, "Report Worker is a process drawn outside every trust boundary") {
		t.Errorf("no placement question: %+v", r.OpenQuestions)
	}
	for _, th := range r.Threats {
		if th.Element.ID == "w" && strings.Contains(th.Title, "internet") {
			t.Errorf("internet threat on the internal worker: %s", th.Title)
		}
	}
}

// onElement reports whether th is about the element: its Element, or one
// of the Elements of a threat that lists several.
func onElement(th Threat, typ, id string) bool {
	if len(th.Elements) == 0 {
		return th.Element.Type == typ && th.Element.ID == id
	}
	for _, e := range th.Elements {
		if e.Type == typ && e.ID == id {
			return true
		}
	}
	return false
}

// distinctNames keeps the first of each name, in order.
func distinctNames(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
