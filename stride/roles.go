package stride

import (
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Person is the human role a component's label names: the people who use a
// system, or the device or client app through which they do. Threat text
// names them as people ("an attacker signs in as an administrator through
// Admin Console"), and privileged roles make the administrative rules apply.
type Person struct {
	// Role is the role word as written ("administrator", "patient").
	Role string
	// Phrase is the role with its article, for prose ("an administrator").
	Phrase string
	// Privileged roles administer or operate the system.
	Privileged bool
	// Device is the client app or device the person works through, as the
	// label names it ("Admin Console"); "" when the label is the person.
	Device string
}

// personWords maps role words to the role's name in prose and whether it
// is privileged. Longer phrases come first.
var personWords = []struct {
	kw, role   string
	privileged bool
}{
	{"system administrator", "system administrator", true},
	{"sysadmin", "system administrator", true},
	{"super user", "superuser", true},
	{"superuser", "superuser", true},
	{"administrator", "administrator", true},
	{"admin", "administrator", true},
	{"operator", "operator", true},
	{"sre", "site reliability engineer", true},
	{"devops", "DevOps engineer", true},
	{"developer", "developer", true},
	{"maintainer", "maintainer", true},
	{"reviewer", "reviewer", false},
	{"contributor", "contributor", false},
	{"engineer", "engineer", true},
	{"support agent", "support agent", true},
	{"auditor", "auditor", false},
	{"end user", "end user", false},
	{"user", "user", false},
	{"customer", "customer", false},
	{"owner", "owner", false},
	{"patient", "patient", false},
	{"clinician", "clinician", false},
	{"doctor", "doctor", false},
	{"physician", "physician", false},
	{"nurse", "nurse", false},
	{"caregiver", "caregiver", false},
	{"member", "member", false},
	{"visitor", "visitor", false},
	{"guest", "guest", false},
	{"student", "student", false},
	{"teacher", "teacher", false},
	{"employee", "employee", false},
	{"staff", "staff member", false},
	{"merchant", "merchant", false},
	{"citizen", "citizen", false},
	{"buyer", "buyer", false},
	{"shopper", "shopper", false},
	{"passenger", "passenger", false},
	{"traveller", "traveller", false},
	{"traveler", "traveler", false},
	{"applicant", "applicant", false},
	{"learner", "learner", false},
	{"seller", "seller", false},
	{"driver", "driver", false},
	{"rider", "rider", false},
	{"subscriber", "subscriber", false},
	{"analyst", "analyst", false},
	{"data scientist", "data scientist", false},
	{"producer", "producer", false},
	{"consumer", "consumer", false},
	{"person", "person", false},
	{"people", "person", false},
	{"human", "person", false},
}

// deviceWords are clients a person works through: a label with a role word
// and one of these ("Admin Console", "Patient Mobile App") is that person's
// device. Server-side words (portal, dashboard, service) are not here.
var deviceWords = kw("console", "app", "mobile app", "cli", "browser", "web browser", "client", "laptop",
	"workstation", "desktop", "device", "phone", "smartphone", "tablet", "terminal", "kiosk")

// serverWords make a label name software the system runs even when it names
// a role ("Patient Service", "User DB", "Admin API").
var serverWords = kw("service", "svc", "server", "api", "backend", "portal", "dashboard", "database", "db",
	"store", "repository", "queue", "cache", "gateway", "worker", "job", "function", "lambda", "handler",
	"registry", "directory", "table", "bucket", "index", "records", "record", "system", "platform",
	"website", "site", "webapp", "frontend", "ui", "management", "manager", "engine", "processor",
	"backoffice", "back office", "panel", "cms", "tool", "tools",
	// An identity function named after whom it serves ("User
	// Authentication", "Customer Sign-in") is software, not the person.
	"authentication", "authn", "authorization", "authz", "sign in", "signin", "sign on", "login", "sso",
	// Code in an operating system or firmware: a "TEE Driver" or a
	// "Kernel driver" is software, not someone who drives.
	"kernel", "tee", "firmware", "hypervisor", "device driver", "kernel driver", "kernel module")

// readPerson returns the person a label names, if it names one and does
// not name server-side software.
func readPerson(label string) (Person, bool) {
	w := newWords(label)
	if w.first(serverWords) != "" {
		return Person{}, false
	}
	// A head noun that names software decides ("Placement Driver",
	// "Operator Controller"): the role word before it qualifies it.
	if k, _ := headKind(label); k != graph.KindUnknown {
		return Person{}, false
	}
	for _, p := range personWords {
		if !w.has(p.kw) {
			continue
		}
		if (p.kw == "producer" || p.kw == "consumer") && len(w.toks) > 1 {
			continue
		}
		out := Person{Role: p.role, Phrase: article(p.role) + " " + p.role, Privileged: p.privileged}
		if w.first(deviceWords) != "" {
			out.Device = oneLine(label)
		}
		return out, true
	}
	return Person{}, false
}

// article returns "a" or "an" for a role noun, by its sound: "an
// administrator", "a user" (a vowel letter that sounds like "you").
func article(noun string) string {
	if noun == "" {
		return "a"
	}
	low := strings.ToLower(noun)
	for _, p := range []string{"us", "uni", "uti", "eu"} {
		if strings.HasPrefix(low, p) {
			return "a"
		}
	}
	switch low[:1] {
	case "a", "e", "i", "o", "u":
		return "an"
	}
	return "a"
}

// personReason explains a kind decided from a person's role.
func personReason(p Person, shape string) string {
	s := "label names " + p.Phrase
	if p.Device != "" {
		s += " working through " + strconv.Quote(p.Device) + ", modelled as that person's device"
	}
	if shape != "" {
		s += "; a person beats the generic shape " + strconv.Quote(shape)
	}
	return s
}
