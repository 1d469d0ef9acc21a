package drawio

import (
	"regexp"
	"strings"
	"sync"

	"github.com/threatmap/threatmap/graph"
)

// C4 (draw.io's C4 shape library): objects carry c4Name, c4Type,
// c4Technology and c4Description properties and show them through
// placeholders; shapes drawn by hand say the same in their label
// ("Orders DB\n[Container: PostgreSQL]").

// c4Boundaries are the c4Type values of shapes drawn around others: system
// and container scope boundaries, deployment nodes, execution environments.
var c4Boundaries = map[string]bool{
	"systemscopeboundary": true, "containerscopeboundary": true, "enterpriseboundary": true,
	"systemboundary": true, "containerboundary": true, "boundary": true,
	"deploymentnode": true, "executionenvironment": true, "infrastructurenode": false,
}

func c4Key(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.TrimSpace(s)))
}

// isC4Boundary reports a C4 boundary or deployment shape: a candidate
// boundary, qualified by what it encloses.
func isC4Boundary(c *cell) bool {
	return c.hasGeo && c.abs.W > 0 && c.abs.H > 0 && c4Boundaries[c4Key(c.props["c4Type"])]
}

// c4TypeRe finds the bracketed C4 type line of a label: "[Person]",
// "[Software System]", "[Container: PostgreSQL]", "[Component: Spring Bean]".
var c4TypeRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?im)^\s*\[\s*(external\s+)?(person|software system|system|container|component|database|system_ext|container_ext)\s*(?::\s*([^\]\n]*))?\]\s*$`)
})

// c4Info returns the C4 type and technology of a component, from its
// properties first, then from its label.
func c4Info(attrs map[string]string, label string) (typ, tech string) {
	typ, tech = strings.TrimSpace(attrs["c4Type"]), strings.TrimSpace(attrs["c4Technology"])
	if m := c4TypeRe().FindStringSubmatch(label); m != nil {
		if typ == "" {
			typ = strings.TrimSpace(m[1] + m[2])
		}
		if tech == "" {
			tech = strings.TrimSpace(m[3])
		}
	}
	return typ, tech
}

// dbTechRe matches technologies that are data stores.
var dbTechRe = lazyRegexp(`(?i)\b(database|db|sql|postgres(ql)?|mysql|mariadb|oracle|sqlite|mongo(db)?|redis|memcached?|cassandra|dynamo(db)?|influx(db)?|elastic(search)?|opensearch|couch(db|base)?|neo4j|cosmos(db)?|bigtable|bigquery|spanner|snowflake|s3|bucket|blob|storage|file ?system|kafka|queue|sqs|rabbitmq|data ?lake|warehouse)\b`)

// greyFills are the fills draw.io's C4 library gives external elements.
var greyFills = map[string]bool{"#999999": true, "#8c8496": true, "#8a8a8a": true, "#6b6477": true, "#686868": true}

// applyC4 classifies a C4 element by its type and keeps its technology as
// the "technology" attribute (the stride technology catalog reads it).
func applyC4(comp *graph.Component, st style) {
	typ, tech := c4Info(comp.Attributes, comp.Label)
	if typ == "" {
		return
	}
	if tech != "" {
		comp.Attributes["technology"] = tech
	}
	if _, ok := comp.Attributes["c4Type"]; !ok {
		comp.Attributes["c4Type"] = typ
	}
	if comp.Kind != graph.KindUnknown {
		return // an explicit kind property wins
	}
	key := c4Key(typ)
	external := strings.HasPrefix(key, "external") || strings.HasSuffix(key, "ext") || greyFills[strings.ToLower(st.get("fillColor"))]
	switch {
	case key == "person" || key == "externalperson":
		comp.Kind = graph.KindExternal
	case key == "database" || strings.Contains(key, "db") || comp.Shape == "cylinder" || comp.Shape == "cylinder3" ||
		((key == "container" || key == "containerext" || key == "externalcontainer") && dbTechRe().MatchString(tech)):
		comp.Kind = graph.KindDataStore
	case external:
		comp.Kind = graph.KindExternal
	case key == "softwaresystem" || key == "system" || key == "container" || key == "component":
		comp.Kind = graph.KindProcess
	}
}
