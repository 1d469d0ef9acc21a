package stride

import "sort"

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
	// TagSaaS marks an external entity named after a known SaaS vendor.
	TagSaaS Tag = "saas"
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

// Letter is the category's STRIDE letter ("S"), or "" for an unknown
// category.
func (c Category) Letter() string {
	switch c {
	case Spoofing:
		return "S"
	case Tampering:
		return "T"
	case Repudiation:
		return "R"
	case InformationDisclosure:
		return "I"
	case DenialOfService:
		return "D"
	case ElevationOfPrivilege:
		return "E"
	}
	return ""
}
