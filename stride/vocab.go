package stride

import (
	"sort"
	"strconv"
	"strings"
)

// Direction is where a flow goes relative to trust.
type Direction string

// Flow directions. A flow that crosses no trust boundary is internal; a
// crossing flow is inbound (towards more trust), outbound (towards less)
// or lateral (between zones of equal trust).
const (
	DirInternal Direction = "internal"
	DirInbound  Direction = "inbound"
	DirLateral  Direction = "lateral"
	DirOutbound Direction = "outbound"
)

// rank orders entry points: inbound, then lateral, then outbound.
func (d Direction) rank() string {
	switch d {
	case DirInbound:
		return "0"
	case DirLateral:
		return "1"
	case DirOutbound:
		return "2"
	}
	return ""
}

// Tag is a keyword tag derived from a component's or a flow's label and
// shape (Env.Keywords). Tags are what rules test with `"waf" in Keywords`.
type Tag string

// Component tags (componentTags) and the tags the analysis itself reads.
const (
	TagWAF       Tag = "waf"
	TagCDN       Tag = "cdn"
	TagGateway   Tag = "gateway"
	TagProxy     Tag = "proxy"
	TagAuth      Tag = "auth"
	TagIdentity  Tag = "identity"
	TagAdmin     Tag = "admin"
	TagDB        Tag = "db"
	TagCache     Tag = "cache"
	TagBucket    Tag = "bucket"
	TagQueue     Tag = "queue"
	TagLog       Tag = "log"
	TagSecrets   Tag = "secrets"
	TagPayment   Tag = "payment"
	TagEmail     Tag = "email"
	TagSMS       Tag = "sms"
	TagDirectory Tag = "directory"
	TagWebhook   Tag = "webhook"
	TagWorker    Tag = "worker"
	TagWeb       Tag = "web"
	TagUpload    Tag = "upload"
	TagMobile    Tag = "mobile"
	// TagBoot marks what starts other software: a bootloader, an
	// initialisation step, a launcher (also a flow tag: "boot", "launch").
	TagBoot Tag = "boot"
	// TagIsolationHW marks hardware that enforces isolation between
	// execution worlds and that firmware configures: an MMU or MPU, a
	// TrustZone address-space or peripheral controller, an interrupt
	// controller, an IOMMU, the on-chip hardware blocks ("hardware IPs").
	TagIsolationHW Tag = "isolation-hw"
	// TagSaaS marks an external entity named after a known SaaS vendor.
	TagSaaS Tag = "saas"
	// TagMedia marks what decodes media or documents (image processing,
	// thumbnails, PDF rendering, transcoding, OCR), or a flow that carries
	// images, video, audio, PDFs or archives: parsers that memory-unsafe
	// libraries, decompression bombs and polyglot files attack.
	TagMedia Tag = "media"
	// TagDependency marks third-party code a service imports: libraries,
	// packages, dependencies (a component so named, or a flow of pip, npm
	// or library imports).
	TagDependency Tag = "dependency"
)

// Flow tags (flowTags), beside TagWebhook, TagAdmin and TagUpload.
const (
	TagLogin      Tag = "login"
	TagToken      Tag = "token"
	TagBackup     Tag = "backup"
	TagExport     Tag = "export"
	TagPoll       Tag = "poll"
	TagEnqueue    Tag = "enqueue"
	TagValidation Tag = "validation"
	// TagFetch marks a flow that fetches code or build inputs: a clone,
	// a download, a pull or an install.
	TagFetch Tag = "fetch"
	// TagChange marks a flow that submits a change to source: a push, a
	// patch, a commit, a pull or merge request.
	TagChange Tag = "change"
)

// tagSet is a set of tags.
type tagSet map[Tag]bool

func (s tagSet) add(t Tag) { s[t] = true }

// sorted returns the tags as sorted strings, for Env.Keywords.
func (s tagSet) sorted() []string {
	out := make([]string, 0, len(s))
	for t := range s {
		out = append(out, string(t))
	}
	sort.Strings(out)
	return out
}

// Severity is a risk band of a likelihood × impact score (Band).
type Severity string

// Severity bands, from most to least severe.
const (
	SeverityCritical Severity = "Critical"
	SeverityHigh     Severity = "High"
	SeverityMedium   Severity = "Medium"
	SeverityLow      Severity = "Low"
)

// Severities lists the bands from most to least severe: the order every
// table, legend and count uses. Do not modify it.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}

// SeverityNames returns Severities as text, for writers of tables and
// legends.
func SeverityNames() []string {
	out := make([]string, len(Severities))
	for i, s := range Severities {
		out[i] = string(s)
	}
	return out
}

// Band returns the severity band of a likelihood × impact score:
// Critical >= 20, High >= 12, Medium >= 6, Low < 6.
func Band(score int) Severity {
	switch {
	case score >= 20:
		return SeverityCritical
	case score >= 12:
		return SeverityHigh
	case score >= 6:
		return SeverityMedium
	}
	return SeverityLow
}

// Rank orders severities: Critical 4, High 3, Medium 2, Low 1, and 0 for
// anything else (no severity).
func (s Severity) Rank() int {
	switch s {
	case SeverityCritical:
		return 4
	case SeverityHigh:
		return 3
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 1
	}
	return 0
}

// Priority is the priority of a mitigation for a threat of residual
// severity s: P1 (Critical) .. P4 (Low), "" for no severity.
func (s Severity) Priority() string {
	if r := s.Rank(); r > 0 {
		return "P" + strconv.Itoa(5-r)
	}
	return ""
}

// ParseSeverity reads a severity name in any case ("high", "CRITICAL").
func ParseSeverity(s string) (Severity, bool) {
	s = strings.TrimSpace(s)
	for _, v := range Severities {
		if strings.EqualFold(s, string(v)) {
			return v, true
		}
	}
	return "", false
}

// MaxSeverity returns the more severe of a and b.
func MaxSeverity(a, b Severity) Severity {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

// Category is a STRIDE category by its full name ("Information
// disclosure"), as Threat.Category and the rule files spell it.
type Category string

// The STRIDE categories.
const (
	Spoofing              Category = "Spoofing"
	Tampering             Category = "Tampering"
	Repudiation           Category = "Repudiation"
	InformationDisclosure Category = "Information disclosure"
	DenialOfService       Category = "Denial of service"
	ElevationOfPrivilege  Category = "Elevation of privilege"
)

// Categories lists the categories in STRIDE order: the order every table
// and count uses. Do not modify it.
var Categories = []Category{Spoofing, Tampering, Repudiation, InformationDisclosure, DenialOfService, ElevationOfPrivilege}

// Letter is the category's STRIDE letter ("S"), or "" for an unknown
// category.
func (c Category) Letter() string {
	for _, x := range Categories {
		if x == c {
			return string(c[0])
		}
	}
	return ""
}

// Rank is the category's position in STRIDE order (Spoofing 0 ..
// Elevation of privilege 5), or len(Categories) for an unknown category.
func (c Category) Rank() int {
	for i, x := range Categories {
		if x == c {
			return i
		}
	}
	return len(Categories)
}

// ParseCategory reads a category given by its name or its STRIDE letter,
// in any case ("tampering", "T").
func ParseCategory(s string) (Category, bool) {
	s = strings.TrimSpace(s)
	for _, c := range Categories {
		if strings.EqualFold(s, string(c)) || strings.EqualFold(s, c.Letter()) {
			return c, true
		}
	}
	return "", false
}
