package stride

import (
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// Reading a label by its head noun. In English the last noun of a noun
// phrase says what the thing is and the words before it qualify it: a
// "Queue Controller" is a controller (of queues), a "Job queue" is a queue
// (of jobs), "CRD (Job/Queue/PodGroup)" is a custom resource definition
// whose parenthesised list names the resources it defines. A technology or
// kind word read out of that construct (the "queue" of "Queue Controller")
// must not decide the element.

// processHeads are head nouns that name running software: a label ending
// in one is a process whatever its qualifiers name ("Queue Controller",
// "Placement Driver", "Metadata Service").
var processHeads = kw("controller", "controllers", "cm", "manager", "service", "svc", "server", "scheduler",
	"driver", "daemon", "coordinator", "orchestrator", "reconciler", "dispatcher", "worker",
	"handler", "processor", "webhook", "plugin", "sidecar", "operator")

// storeHeads are head nouns that name something holding data: a label
// ending in one is a data store ("Job queue", "Event store").
var storeHeads = kw("queue", "topic", "database", "db", "datastore", "store", "cache", "bucket", "ledger")

// resourceHeads are head nouns that name Kubernetes custom resources:
// API objects the Kubernetes API server serves, authorises and admits
// (and keeps in etcd), not a queue or a job. They are read as a process,
// part of the API server, as threat modellers of Kubernetes projects
// draw them: they are changed through it, under its RBAC and audit.
var resourceHeads = kw("crd", "custom resource", "custom resource definition")

// personDriverWords qualify "driver" as a person who drives ("Delivery
// Driver"); any other qualifier makes it software ("Placement Driver",
// "CSI Driver").
var personDriverWords = kw("delivery", "bus", "taxi", "truck", "lorry", "van", "car", "cab", "ride", "rideshare", "fleet", "courier")

// operatorSoftwareWords qualify "operator" as a Kubernetes operator (a
// controller): "Cluster Operator", "CRD Operator", "OLM Operator".
var operatorSoftwareWords = kw("kubernetes", "k8s", "kube", "cluster", "crd", "olm", "helm", "controller", "custom resource")

// softwareOperator reports whether w, a label whose head noun is
// "operator", names a Kubernetes operator rather than a person who
// operates something: its qualifiers name Kubernetes or a product the
// catalog knows ("Postgres Operator", "Strimzi Operator"). A bare
// "Operator" or a "Release Operator" is left to the person reader.
func softwareOperator(w words) bool {
	if len(w.toks) < 2 {
		return false
	}
	if w.first(operatorSoftwareWords) != "" {
		return true
	}
	q := strings.Join(w.toks[:len(w.toks)-1], " ")
	m, ok := catalog.Default().Match(catalog.Input{Label: q})
	return ok && !m.Tech.Generic
}

// headOf returns the words of a label's name as a person reads it for its
// kind: the first line, without bracketed parts ("(Job/Queue/PodGroup)",
// "[internal]") and without a possessive or plural apostrophe ("CRD's").
func headOf(label string) words {
	s := label
	for _, sep := range []string{"\n", "<br"} {
		for {
			i := strings.Index(s, sep)
			if i < 0 {
				break
			}
			if strings.TrimSpace(stripBrackets(s[:i])) != "" {
				s = s[:i]
				break
			}
			s = s[i+len(sep):]
		}
	}
	s = strings.NewReplacer("'s", "", "’s", "").Replace(stripBrackets(s))
	w := newWords(s)
	for len(w.toks) > 1 && strings.Trim(w.toks[len(w.toks)-1], "0123456789") == "" {
		// a number after the name counts instances ("Worker 2")
		w = newWords(strings.Join(w.toks[:len(w.toks)-1], " "))
	}
	return w
}

// stripBrackets removes the bracketed parts of s.
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
			continue
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
			b.WriteByte(' ')
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// headKind reads the kind a label's head noun names, with the reason;
// KindUnknown when the head noun names no kind. A person who drives is
// left to the person reader.
func headKind(label string) (graph.Kind, string) {
	w := headOf(label)
	n := len(w.toks)
	if n == 0 {
		return graph.KindUnknown, ""
	}
	head := w.toks[n-1]
	last := newWords(head)
	if k := w.first(resourceHeads); k != "" && (last.first(resourceHeads) != "" || strings.HasSuffix(w.joined, " "+k+" ") || strings.HasSuffix(w.joined, " "+k+"s ")) {
		return graph.KindProcess, "head noun " + strconv.Quote(k) + " names Kubernetes custom resources, API objects served by the Kubernetes API server: read as part of that process"
	}
	if last.first(processHeads) != "" {
		if head == "driver" || head == "drivers" {
			if n == 1 || w.first(personDriverWords) != "" {
				return graph.KindUnknown, ""
			}
		}
		if (head == "operator" || head == "operators") && !softwareOperator(w) {
			return graph.KindUnknown, ""
		}
		why := "head noun " + strconv.Quote(head) + " names a process"
		if n > 1 {
			why += "; the words before it qualify it"
		}
		return graph.KindProcess, why
	}
	if last.first(storeHeads) != "" && n > 1 {
		return graph.KindDataStore, "head noun " + strconv.Quote(head) + " names a data store; the words before it qualify it"
	}
	return graph.KindUnknown, ""
}

// techInContext reports whether a technology matched on label words
// says what the element is. It does not when the words are a qualifier:
// a custom resource definition's list ("CRD (Job/Queue/PodGroup)" is no
// message queue), or a generic data-store word before a process head
// noun ("Queue Controller", "Queue CM" are no message queues). A
// product's name ("Kafka consumer") and a match by style or attribute
// stand.
func techInContext(label string, m catalog.Match) bool {
	if m.Source != catalog.FromLabel {
		return true
	}
	k, _ := headKind(label)
	hw := headOf(label)
	if hw.first(resourceHeads) != "" {
		return false
	}
	if k == graph.KindProcess && m.Tech.Generic && m.Tech.Kind == catalog.KindDatastore {
		ev := newWords(m.Evidence)
		return len(ev.toks) > 0 && strings.HasSuffix(hw.joined, ev.joined)
	}
	return true
}
