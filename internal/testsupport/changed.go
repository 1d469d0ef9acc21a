package testsupport

import "strings"

// ChangedTelehealthDOT is the living-model acceptance change applied to
// the DOT example's source: an audit store written by Appointments Service
// is added, and API Gateway → Web App turns from HTTP into HTTPS. The
// baseline and diff tests compare the example with this one change, so
// their expected counts describe the same edit.
func ChangedTelehealthDOT(src string) string {
	src = strings.Replace(src, `apigw     -> webapp [label="HTTP"];`, `apigw     -> webapp [label="HTTPS"];`, 1)
	i := strings.LastIndex(src, "}")
	return src[:i] + `  audit [label="Audit Log DB", shape=cylinder];
  appt -> audit [label="SQL (PII)"];
` + src[i:]
}
