package stencils

import (
	"strings"
	"sync"
	"unicode"
)

// Categories of thing an icon shows; the picture draws each as a glyph.
const (
	Compute   = "compute"
	Database  = "database"
	Storage   = "storage"
	Network   = "network"
	Internet  = "internet"
	Identity  = "identity"
	Security  = "security"
	Queue     = "queue"
	Function  = "function"
	Container = "container"
	User      = "user"
	Device    = "device"
	Analytics = "analytics"
	Generic   = "generic"
)

// categoryWords lists, in the order they are tried, the words that put an
// icon in a category. The first category with a word among the icon's
// words wins, so the more specific come first ("Kubernetes Engine" is a
// container before an engine is compute; "Notification Hub" is a queue
// before a hub is network).
var categoryWords = []struct {
	cat   string
	words []string
}{
	{Function, []string{"lambda", "function", "functions", "serverless", "faas"}},
	{Queue, []string{"queue", "queues", "sqs", "sns", "topic", "topics", "pubsub", "eventbridge", "kafka", "kinesis", "mq",
		"stream", "streams", "message", "messages", "messaging", "notification", "notifications", "bus", "events", "event"}},
	{Container, []string{"container", "containers", "docker", "kubernetes", "k8s", "pod", "pods", "eks", "ecs", "aks", "gke",
		"fargate", "deployment", "replicaset", "daemonset", "statefulset", "registry", "ecr", "openshift", "helm", "cluster"}},
	{Identity, []string{"iam", "identity", "cognito", "directory", "sso", "saml", "oauth", "auth", "authentication",
		"key", "keys", "kms", "vault", "secrets", "secret", "certificate", "certificates", "credentials", "mfa", "access"}},
	{Security, []string{"firewall", "waf", "shield", "guardduty", "security", "secured", "lock", "padlock", "ssl", "tls",
		"guard", "inspector", "macie", "antivirus", "virus", "ids", "ips", "hsm"}},
	{Database, []string{"database", "databases", "db", "sql", "mysql", "postgres", "postgresql", "rds", "aurora", "dynamodb",
		"dynamo", "cosmos", "cosmosdb", "bigtable", "spanner", "firestore", "datastore", "redshift", "table", "tables", "cache",
		"redis", "elasticache", "memcached", "mongodb", "cassandra", "neptune", "documentdb", "timestream", "warehouse", "bigquery"}},
	{Storage, []string{"storage", "s3", "bucket", "buckets", "blob", "disk", "disks", "vhd", "volume", "volumes", "ebs", "efs",
		"file", "files", "filer", "nas", "san", "glacier", "backup", "archive", "tape", "drive", "usb", "storsimple"}},
	{User, []string{"user", "users", "person", "people", "customer", "customers", "actor", "staff", "admin", "female", "male",
		"community", "employee", "employees", "operator"}},
	{Device, []string{"laptop", "desktop", "pc", "mobile", "phone", "tablet", "computer", "workstation", "terminal", "monitor",
		"browser", "client", "iot", "sensor", "device", "devices", "gamepad", "printer", "scanner", "camera", "plc", "thin"}},
	{Internet, []string{"internet", "globe", "world", "www"}},
	{Network, []string{"network", "networks", "networking", "gateway", "router", "switch", "hub", "balancer", "elb", "alb",
		"nlb", "balancing", "routing", "vpc", "vnet", "subnet", "dns", "route", "cdn", "cloudfront", "vpn", "nat", "endpoint", "modem",
		"proxy", "api", "ip", "link", "wireless", "bridge", "ingress", "mesh", "traffic", "express", "connect"}},
	{Analytics, []string{"analytics", "athena", "emr", "glue", "hdinsight", "dataflow", "dataproc", "quicksight", "monitoring",
		"cloudwatch", "logs", "log", "logging", "insights", "alert", "alarm", "trace", "xray", "metrics", "dashboard", "health", "reporting"}},
	{Compute, []string{"server", "servers", "instance", "instances", "ec2", "vm", "vms", "virtual", "machine", "compute",
		"engine", "host", "mainframe", "supercomputer", "app", "apps", "application", "web", "website", "worker", "batch",
		"rack", "beanstalk", "lightsail", "cpu", "service", "services", "role", "roles", "xenapp"}},
}

// categoryOf and categoryRank index categoryWords on first use.
var categoryOf = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, cw := range categoryWords {
		for _, w := range cw.words {
			if _, dup := m[w]; !dup {
				m[w] = cw.cat
			}
		}
	}
	return m
})

var categoryRank = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, cw := range categoryWords {
		m[cw.cat] = i
	}
	return m
})

// words splits names into lower-case words: "mxgraph.aws4.rds_mysql_instance"
// -> mxgraph aws4 rds mysql instance.
func words(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, strings.FieldsFunc(strings.ToLower(n), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	return out
}

// Category says what an icon shows, from the stencil's keys and title
// first, then from the component's label (an icon drawn as an embedded
// image has no stencil name): one of the category constants, Generic when
// nothing tells. A stencil named just "cloud" or "internet" is the
// Internet.
func Category(keys []string, title, label string) string {
	for _, k := range keys {
		base := strings.ToLower(k)
		if i := strings.LastIndexAny(base, "./"); i >= 0 {
			base = base[i+1:]
		}
		base = strings.TrimSuffix(base, ".svg")
		if base == "cloud" || strings.HasPrefix(base, "internet") {
			return Internet
		}
	}
	var names []string
	for _, k := range keys {
		// The vendor prefix says nothing about the thing drawn.
		if i := strings.LastIndexAny(k, "./"); i >= 0 {
			k = k[i+1:]
		}
		names = append(names, k)
	}
	if c := best(words(append(names, title)...)); c != "" {
		return c
	}
	if c := best(words(label)); c != "" {
		return c
	}
	return Generic
}

// best is the earliest-listed category any word belongs to.
func best(ws []string) string {
	cat, rank := "", len(categoryWords)
	for _, w := range ws {
		if c, ok := categoryOf()[w]; ok && categoryRank()[c] < rank {
			cat, rank = c, categoryRank()[c]
		}
	}
	return cat
}

// iconVendors are the stencil families that draw vendor or device icons
// (not flowchart, UML or DFD shapes), by the second part of an
// "mxgraph.<family>.<name>" key.
var iconVendors = map[string]string{
	"aws": "AWS", "aws3": "AWS", "aws4": "AWS", "aws3d": "AWS", "azure": "Azure", "azure2": "Azure", "mscae": "Azure",
	"gcp": "GCP", "gcp2": "GCP", "ibm": "IBM", "ibm_cloud": "IBM", "kubernetes": "Kubernetes", "cisco": "Cisco",
	"cisco19": "Cisco", "cisco_safe": "Cisco", "alibaba_cloud": "Alibaba Cloud", "veeam": "Veeam", "veeam2": "Veeam",
	"openstack": "OpenStack", "salesforce": "Salesforce", "office": "Office", "networks": "Network", "citrix": "Citrix",
	"vvd": "VMware", "sap": "SAP", "active_directory": "Active Directory", "rack": "Rack", "webicons": "Web",
	"android": "Android", "atlassian": "Atlassian", "cumulus": "Cumulus", "dynamics365": "Dynamics 365",
	"allied_telesis": "Allied Telesis",
}

// Vendor returns the icon family of the keys ("AWS", "Azure", "Network",
// ...), or "" when they name no vendor or device icon. Image files under
// draw.io's img/lib/ count as icons, named by their folder.
func Vendor(keys []string) string {
	for _, k := range keys {
		lk := strings.ToLower(k)
		if rest, ok := strings.CutPrefix(lk, "mxgraph."); ok {
			fam, _, _ := strings.Cut(rest, ".")
			if v := iconVendors[fam]; v != "" {
				return v
			}
			continue
		}
		if i := strings.Index(lk, "img/lib/"); i >= 0 {
			fam, _, _ := strings.Cut(lk[i+len("img/lib/"):], "/")
			if v := iconVendors[fam]; v != "" {
				return v
			}
			if v := iconVendors[strings.TrimRight(fam, "0123456789")]; v != "" {
				return v
			}
			return "Icon"
		}
	}
	return ""
}
