package catalog

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

// Styles as draw.io's palettes write them (jgraph/drawio sidebar scripts
// and the shared corpus diagrams).
const (
	aws4Res  = "sketch=0;outlineConnect=0;fontColor=#232F3E;gradientColor=none;fillColor=#ED7100;strokeColor=none;dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;fontSize=12;fontStyle=0;aspect=fixed;pointerEvents=1;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4."
	aws4Prod = "outlineConnect=0;fontColor=#232F3E;gradientColor=#4AB29A;gradientDirection=north;fillColor=#116D5B;strokeColor=#ffffff;dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;fontSize=12;fontStyle=0;aspect=fixed;shape=mxgraph.aws4.productIcon;prIcon=mxgraph.aws4."
	k8s      = "html=1;dashed=0;whitespace=wrap;fillColor=#2875E2;strokeColor=#ffffff;points=[[0.005,0.63,0],[0.1,0.2,0]];shape=mxgraph.kubernetes.icon;prIcon="
	gcp2Hex  = "dashed=0;connectable=0;html=1;fillColor=#5184F3;strokeColor=none;shape=mxgraph.gcp2.hexIcon;prIcon="
	azure2   = "image;aspect=fixed;html=1;points=[];align=center;fontSize=12;image=img/lib/azure2/"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		name   string
		in     Input
		id     string
		reason string
	}{
		// Label words.
		{"plain name", Input{Label: "PostgreSQL"}, "postgresql", "label word 'PostgreSQL'"},
		{"short alias in a longer label", Input{Label: "Orders DB (postgres)"}, "postgresql", "label word 'postgres'"},
		{"redis cache is one match", Input{Label: "Redis cache"}, "redis", "label words 'Redis cache'"},
		{"named beats generic", Input{Label: "Session store (Redis)"}, "redis", "label word 'Redis'"},
		{"Kafka Connect over Kafka", Input{Label: "Kafka Connect"}, "kafka-connect", "label words 'Kafka Connect'"},
		{"Kafka", Input{Label: "Kafka"}, "apache-kafka", "label word 'Kafka'"},
		{"S3 Glacier over S3", Input{Label: "Amazon S3 Glacier"}, "amazon-s3-glacier", "label words 'Amazon S3 Glacier'"},
		{"S3", Input{Label: "Amazon S3"}, "amazon-s3", "label words 'Amazon S3'"},
		{"Azure SQL over SQL", Input{Label: "Azure SQL Database"}, "azure-sql-database", "label words 'Azure SQL Database'"},
		{"generic SQL (pytm corpus)", Input{Label: "SQL Database", Shape: "none"}, "generic-sql-database", "label words 'SQL Database'"},
		{"line breaks inside a phrase", Input{Label: "Amazon\nRoute 53"}, "amazon-route-53", "label words 'Amazon Route 53'"},
		{"aurora postgresql", Input{Label: "Orders DB\n(Aurora PostgreSQL)"}, "amazon-aurora", "label words 'Aurora PostgreSQL'"},
		{"payment provider", Input{Label: "Stripe"}, "stripe", "label word 'Stripe'"},
		{"payment partner (threat-modelling corpus)", Input{Label: "Payment Partner"}, "generic-payment", "label words 'Payment Partner'"},
		{"idp tenant", Input{Label: "Auth0 tenant"}, "auth0", "label word 'Auth0'"},
		{"authentication function (TF-A supply chain)", Input{Label: "User Authentication"}, "generic-identity-provider", "label words 'User Authentication'"},
		{"sign-in", Input{Label: "Sign-in"}, "generic-identity-provider", "label words 'Sign-in'"},
		{"authentication", Input{Label: "Authentication"}, "generic-identity-provider", "label word 'Authentication'"},
		{"azure ad", Input{Label: "Azure AD"}, "microsoft-entra-id", "label words 'Azure AD'"},
		{"sms", Input{Label: "Twilio SMS"}, "twilio", "label words 'Twilio SMS'"},
		{"email", Input{Label: "SendGrid"}, "sendgrid", "label word 'SendGrid'"},
		{"logging", Input{Label: "CloudWatch Logs"}, "amazon-cloudwatch", "label words 'CloudWatch Logs'"},
		{"generic logging (mermaid corpus)", Input{Label: "General purpose logging", Shape: "cylinder"}, "generic-logging", "label word 'logging'"},
		{"audit log (threat-modelling corpus)", Input{Label: "Audit Log", Shape: "partialRectangle"}, "generic-logging", "label words 'Audit Log'"},
		{"secrets manager", Input{Label: "AWS Secrets Manager"}, "aws-secrets-manager", "label words 'AWS Secrets Manager'"},
		{"vault", Input{Label: "HashiCorp Vault"}, "hashicorp-vault", "label words 'HashiCorp Vault'"},
		{"ingress controller", Input{Label: "Nginx Ingress Controller"}, "ingress-nginx", "label words 'Nginx Ingress Controller'"},
		{"hyphenated name", Input{Label: "kube-apiserver"}, "kube-apiserver", "label words 'kube-apiserver'"},
		{"etcd label", Input{Label: "etcd"}, "etcd", "label word 'etcd'"},
		{"github actions over github", Input{Label: "GitHub Actions"}, "github-actions", "label words 'GitHub Actions'"},
		{"argo cd", Input{Label: "Argo CD"}, "argo-cd", "label words 'Argo CD'"},
		{"plural of the last word", Input{Label: "Lambda functions"}, "aws-lambda", "label words 'Lambda functions'"},
		{"plural generic", Input{Label: "MQTT brokers"}, "generic-mqtt-broker", "label words 'MQTT brokers'"},
		{"named broker over generic", Input{Label: "Mosquitto MQTT broker"}, "eclipse-mosquitto", "label word 'Mosquitto'"},
		{"PLC (industrial-iot corpus)", Input{Label: "PLC", Style: "shape=mxgraph.networks.server;"}, "generic-plc", "label word 'PLC'"},
		{"llm (mermaid corpus)", Input{Label: "LEX-4/3.5 LLMs"}, "generic-llm", "label word 'LLMs'"},
		{"openai", Input{Label: "OpenAI API"}, "openai-api", "label words 'OpenAI API'"},
		{"vector db", Input{Label: "Vector DB"}, "generic-vector-database", "label words 'Vector DB'"},
		{"browser", Input{Label: "Web Browser"}, "web-browser", "label words 'Web Browser'"},
		{"ios", Input{Label: "iOS app"}, "ios-app", "label words 'iOS app'"},
		{"pub/sub", Input{Label: "Google Pub/Sub"}, "gcp-pubsub", "label words 'Google Pub/Sub'"},
		{"gcp corpus label", Input{Label: "Dynamic Content\nCloud SQL", Shape: "image"}, "gcp-cloud-sql", "label words 'Cloud SQL'"},
		{"non-ASCII label keeps its case", Input{Label: "Zürich Redis"}, "redis", "label word 'Redis'"},

		// Supply chain (TF-A supply-chain model): bare CI, Gerrit, and a
		// role noun ending the name after a technology that is only what
		// the element holds or builds.
		{"bare CI", Input{Label: "CI"}, "generic-ci-cd", "label word 'CI'"},
		{"gerrit", Input{Label: "Gerrit"}, "gerrit", "label word 'Gerrit'"},
		{"a project's repo", Input{Label: "myservice repo"}, "generic-source-repository", "label word 'repo'"},
		{"repo after a technology", Input{Label: "TF-A repo", Shape: "cylinder3"}, "generic-source-repository", "label word 'repo' after 'TF-A', which names what it is for"},
		{"repository after a technology", Input{Label: "Kubernetes manifests\nKubernetes repository"}, "generic-source-repository", "label word 'repository' after 'Kubernetes', which names what it is for"},
		{"plural head before a bracket", Input{Label: "Terraform repos (prod)"}, "generic-source-repository", "label word 'repos' after 'Terraform', which names what it is for"},
		{"named host in the bracket", Input{Label: "Terraform repos (GitHub Enterprise)"}, "github", "label words 'GitHub Enterprise'"},
		{"pipeline after a technology", Input{Label: "TF-A pipeline"}, "generic-ci-cd", "label word 'pipeline' after 'TF-A', which names what it is for"},
		{"registry after a technology", Input{Label: "Trusted Firmware-M registry"}, "generic-container-registry", "label word 'registry' after 'Trusted Firmware-M', which names what it is for"},
		{"head inside the product's own name", Input{Label: "GitHub repo"}, "github", "label words 'GitHub repo'"},
		{"head of the product's own role", Input{Label: "GitLab repository"}, "gitlab", "label word 'GitLab'"},
		{"artifact platform keeps its repository", Input{Label: "Maven Central repository"}, "maven-central", "label words 'Maven Central'"},
		{"data pipeline platform keeps its pipeline", Input{Label: "Airflow pipeline"}, "apache-airflow", "label word 'Airflow'"},
		{"service registry is not an artifact registry", Input{Label: "Consul registry"}, "consul", "label word 'Consul'"},
		{"head not at the end names something else", Input{Label: "Kafka pipeline monitor"}, "apache-kafka", "label word 'Kafka'"},
		{"head before the technology", Input{Label: "Repository of TF-A"}, "trusted-firmware-a", "label words 'TF-A'"},

		// draw.io styles.
		{"aws4 style beats a generic label", Input{Label: "CloudFront\nCDN", Style: "shape=mxgraph.aws4.cloudfront;fillColor=#5A30B5;"}, "amazon-cloudfront", "draw.io style mxgraph.aws4.cloudfront"},
		{"aws4 resIcon", Input{Label: "Order handler", Style: aws4Res + "lambda;"}, "aws-lambda", "draw.io style mxgraph.aws4.lambda"},
		{"aws4 productIcon", Input{Label: "Orders", Style: aws4Prod + "dynamodb;"}, "amazon-dynamodb", "draw.io style mxgraph.aws4.dynamodb"},
		{"aws4 bedrock", Input{Style: aws4Res + "bedrock;"}, "amazon-bedrock", "draw.io style mxgraph.aws4.bedrock"},
		{"named label beats generic icon (aws-saas corpus)", Input{Label: "RDS\nMaster", Shape: "mxgraph.aws4.database", Style: "shape=mxgraph.aws4.database;"}, "amazon-rds", "label word 'RDS'"},
		{"generic icon alone", Input{Label: "Primary", Style: "shape=mxgraph.aws4.database;"}, "generic-database", "draw.io style mxgraph.aws4.database"},
		{"kubernetes etcd", Input{Style: k8s + "etcd;"}, "etcd", "draw.io style mxgraph.kubernetes.icon;prIcon=etcd"},
		{"kubernetes kubelet", Input{Label: "node-1", Style: k8s + "kubelet;"}, "kubelet", "draw.io style mxgraph.kubernetes.icon;prIcon=kubelet"},
		{"kubernetes api", Input{Label: "API", Style: k8s + "api;"}, "kube-apiserver", "draw.io style mxgraph.kubernetes.icon;prIcon=api"},
		{"gcp2 hexIcon", Input{Label: "orders", Style: gcp2Hex + "cloud_sql;"}, "gcp-cloud-sql", "draw.io style mxgraph.gcp2.cloud_sql"},
		{"gcp2 shape", Input{Label: "Clients", Shape: "mxgraph.gcp2.laptop", Style: "dashed=0;shape=mxgraph.gcp2.laptop;part=1;"}, "user-workstation", "draw.io style mxgraph.gcp2.laptop"},
		{"azure2 image", Input{Label: "catalog", Style: azure2 + "databases/Azure_Cosmos_DB.svg;"}, "azure-cosmos-db", "draw.io style img/lib/azure2/databases/Azure_Cosmos_DB.svg"},
		{"azure2 key vault", Input{Style: azure2 + "security/Key_Vaults.svg;"}, "azure-key-vault", "draw.io style img/lib/azure2/security/Key_Vaults.svg"},
		{"azure classic", Input{Label: "MySQL\nDatabase", Style: "shape=mxgraph.azure.mysql_database;"}, "azure-database-for-mysql", "draw.io style mxgraph.azure.mysql_database"},
		{"azure corpus load balancer", Input{Label: "Windows\nAzure\nLoad\nBalancer", Shape: "mxgraph.azure.azure_load_balancer"}, "azure-load-balancer", "draw.io style mxgraph.azure.azure_load_balancer"},
		{"cisco firewall", Input{Style: "shape=mxgraph.cisco.security.firewall;html=1;"}, "generic-firewall", "draw.io style mxgraph.cisco.security.firewall"},
		{"cisco vpn", Input{Style: "shape=mxgraph.cisco.misc.vpn_concentrator;"}, "generic-vpn", "draw.io style mxgraph.cisco.misc.vpn_concentrator"},
		{"generic label beats generic icon (industrial-iot corpus)", Input{Label: "Edge Device", Shape: "mxgraph.networks.desktop_pc"}, "generic-iot-device", "label words 'Edge Device'"},
		{"aws4 group grIcon", Input{Label: "Checkout workflow", Style: "points=[[0,0]];outlineConnect=0;html=1;shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_aws_step_functions_workflow;strokeColor=#CD2264;"}, "aws-step-functions", "draw.io style mxgraph.aws4.group_aws_step_functions_workflow"},
		{"style keys are case-insensitive", Input{Style: "SHAPE=MXGRAPH.AWS4.S3"}, "amazon-s3", "draw.io style mxgraph.aws4.s3"},

		// C4.
		{"C4 container", Input{Label: "Database\n[Container: MySQL]\n\nDashboard access rights", Shape: "cylinder"}, "mysql", "C4 technology 'MySQL'"},
		{"C4 attribute with extra words", Input{Label: "Database\n[Container: Time Series Database (Influx)]", Attributes: map[string]string{"c4Technology": "Time Series Database (Influx)", "c4Type": "Database"}}, "influxdb", "C4 technology 'Time Series Database (Influx)' (word 'Influx')"},
		{"C4 component", Input{Label: "Sign-in controller\n[Component: Keycloak]\n\nEnforces access rights"}, "keycloak", "C4 technology 'Keycloak'"},
		{"C4 LDAP", Input{Label: "User Management\n[Component: LDAP]"}, "generic-directory", "C4 technology 'LDAP'"},
		{"C4 technology beats label words", Input{Label: "Cache\n[Container: Memcached]"}, "memcached", "C4 technology 'Memcached'"},

		// Attributes (DOT, Mermaid, draw.io data).
		{"DOT technology attribute", Input{Label: "Orders", Attributes: map[string]string{"technology": "PostgreSQL"}}, "postgresql", "attribute technology 'PostgreSQL'"},
		{"attribute naming an id", Input{Label: "files", Attributes: map[string]string{"tech": "amazon-s3"}}, "amazon-s3", "attribute tech 'amazon-s3'"},
		{"attribute beats label", Input{Label: "Redis", Attributes: map[string]string{"technology": "memcached"}}, "memcached", "attribute technology 'memcached'"},
	}
	m := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := m.Match(tt.in)
			if !ok {
				t.Fatalf("no match, want %s", tt.id)
			}
			if got.Tech.ID != tt.id || got.Reason != tt.reason {
				t.Errorf("got %s (%s), want %s (%s)", got.Tech.ID, got.Reason, tt.id, tt.reason)
			}
			if all := m.MatchAll(tt.in); len(all) == 0 || all[0].Tech != got.Tech {
				t.Errorf("MatchAll first = %v, Match = %s", all, got.Tech.ID)
			}
		})
	}
}

// TestNoMatch lists ordinary words that must not be read as technologies.
// Bare "gateway" is not an API gateway: "Gateway of India", a payment
// gateway's "Gateway" box and an IoT "Gateway" would all be wrong; only
// qualified phrases ("API gateway", "payment gateway", "IoT gateway")
// match. "Records" is not DNS records, and no alias matches inside a word.
func TestNoMatch(t *testing.T) {
	m := Default()
	for _, label := range []string{
		"Records Service", "Gateway of India", "Gateway", "Spring Boot service", "Ring buffer",
		"Payments API", "Order Processor", "log in", "Login page", "Blackmail", "Logistics",
		"Storage", "Functions", "Apache", "Control plane", "Sentinel", "Nexus", "Swarm",
		"Internet Gateway", "Elastic IP", "Springfield", "Vaulted archive", "Queueing theory",
		"Admin Console", "User", "Patient", "Records", "Configuration", "Reservations",
		"Acme Corp", "Sparkles", "Mongoose", "Dockerfile", "Gatekeeper",
		// Phrases that name a product in one vendor's vocabulary but an
		// ordinary component everywhere else.
		"Session Manager", "Booking App Service", "Order state machine", "Knowledge Base",
		"Digital Twin", "Update Server", "Search Service", "Spring Boot Actuator",
		// A repository or registry of records is not a code repository or
		// an artefact registry; a data pipeline is not CI.
		"Patient repository", "Document Repository", "Repository", "Device registry", "Data pipeline",
		"Service registry", "Circle", "CIA triad",
	} {
		if got, ok := m.Match(Input{Label: label}); ok {
			t.Errorf("%q matched %s (%s)", label, got.Tech.ID, got.Reason)
		}
	}
	// A C4 description names neighbours, not the element.
	if got, ok := m.Match(Input{Label: "Alert System\n[Software System]\n\nSends SMS notifications of problems"}); ok {
		t.Errorf("C4 description matched %s (%s)", got.Tech.ID, got.Reason)
	}
	if got, ok := m.Match(Input{Label: "Status", Attributes: map[string]string{"c4Name": "Status Dashboard", "c4Description": "Reads PostgreSQL"}}); ok {
		t.Errorf("c4Description matched %s (%s)", got.Tech.ID, got.Reason)
	}
	// Styles that are not technologies.
	for _, style := range []string{"rounded=1;whiteSpace=wrap;html=1;", "ellipse;shape=doubleEllipse;", "shape=cylinder;", "image;image=data:image/svg+xml,PHN2Zz4=;", "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc;"} {
		if got, ok := m.Match(Input{Style: style}); ok {
			t.Errorf("style %q matched %s (%s)", style, got.Tech.ID, got.Reason)
		}
	}
}

// TestMatchAll checks that every technology named on an element is found,
// once, strongest first.
func TestMatchAll(t *testing.T) {
	all := Default().MatchAll(Input{Label: "Kafka + ZooKeeper + Kafka Connect (kafka)", Style: aws4Res + "managed_streaming_for_kafka;"})
	var got []string
	for _, m := range all {
		got = append(got, m.Tech.ID+" ("+m.Reason+")")
	}
	want := []string{
		"amazon-msk (draw.io style mxgraph.aws4.managed_streaming_for_kafka)",
		"kafka-connect (label words 'Kafka Connect')",
		"apache-kafka (label word 'Kafka')",
		"zookeeper (label word 'ZooKeeper')",
	}
	if !slices.Equal(got, want) {
		t.Errorf("MatchAll =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMatchAllHead checks that a head noun ranks first in MatchAll and
// the technology it names what for stays listed, once each.
func TestMatchAllHead(t *testing.T) {
	var got []string
	for _, m := range Default().MatchAll(Input{Label: "TF-A repo"}) {
		got = append(got, m.Tech.ID+" ("+m.Reason+")")
	}
	want := []string{
		"generic-source-repository (label word 'repo' after 'TF-A', which names what it is for)",
		"trusted-firmware-a (label words 'TF-A')",
	}
	if !slices.Equal(got, want) {
		t.Errorf("MatchAll =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMatchDeterministic runs the same inputs many times; attribute maps
// with several technology keys must not depend on map order.
func TestMatchDeterministic(t *testing.T) {
	m := Default()
	in := Input{Label: "x", Attributes: map[string]string{"tech": "redis", "technology": "memcached", "c4Technology": "MySQL", "Technology": "MongoDB"}}
	first, _ := m.Match(in)
	firstAll := fmt.Sprint(m.MatchAll(in))
	for range 50 {
		got, _ := m.Match(in)
		if got.Tech != first.Tech || got.Reason != first.Reason || fmt.Sprint(m.MatchAll(in)) != firstAll {
			t.Fatalf("run differs: %s vs %s", got.Reason, first.Reason)
		}
	}
	if first.Reason != "attribute Technology 'MongoDB'" {
		t.Errorf("first = %q, want the 'Technology' key (sorted before 'technology')", first.Reason)
	}
}

// TestCorpusDiagrams matches every element of real diagrams in the shared
// corpus and compares with what a reader of those diagrams would say.
func TestCorpusDiagrams(t *testing.T) {
	tests := []struct {
		sub, file string
		want      []string // "label -> id", for every element that matches
	}{
		{"drawio", "aws-saas-example.drawio", []string{
			"Amazon Route 53 -> amazon-route-53", "Amazon S3 -> amazon-s3", "CloudFront CDN -> amazon-cloudfront",
			"Elastic Load Balancing -> aws-elastic-load-balancing", "M3 -> amazon-ec2", "M4 -> amazon-ec2",
			"RDS Master -> amazon-rds", "RDS Slave -> amazon-rds",
		}},
		{"drawio", "aws-simple-architecture.drawio", []string{
			"Confluence Cluster 1 -> amazon-ecs", "Confluence Cluster 2 -> amazon-ecs",
			"Elastic Load Balancer -> aws-elastic-load-balancing", "Primary -> generic-database",
			"Reverse Proxy -> aws-elastic-beanstalk", "Secondary -> generic-database",
		}},
		{"drawio", "C4.drawio", []string{
			"Database -> generic-database",
			"Database [Container: MySQL] Dashboard access rights -> mysql",
			"Database [Container: Time Series Database (Influx)] -> influxdb",
			"Sign-in controller [Component: Keycloak] Enforces access rights -> keycloak",
			"User Management [Component: LDAP] Creates users, assigns access rights -> generic-directory",
		}},
		{"drawio", "general_content_management.xml", []string{
			"Cloud DNS -> gcp-cloud-dns", "Cloud Load Balancing -> gcp-cloud-load-balancing",
			"Content Server (Autoscaling) Compute Engine -> gcp-compute-engine",
			"Dynamic Content Cloud SQL -> gcp-cloud-sql",
			// Unlabelled icons, named by the draw.io importer after their stencil.
			"Laptop -> user-workstation", "Phone -> mobile-app", "Publisher -> user-workstation",
			"Static Content Cloud Storage -> gcp-cloud-storage",
		}},
		{"dot", "pytm-dfd.dot", []string{"SQL Database -> generic-sql-database", "Web Server -> generic-web-server"}},
	}
	m := Default()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(testcorpus.Dir(t, tt.sub), tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			diagrams, err := importers.Import(path, data, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			var got []string
			for _, d := range diagrams {
				for _, c := range d.Components {
					match, ok := m.Match(InputOf(c))
					if !ok {
						continue
					}
					name := strings.Join(strings.Fields(c.Label), " ")
					if name == "" {
						name = "(" + c.Shape + ")"
					}
					if line := name + " -> " + match.Tech.ID; !seen[line] {
						seen[line] = true
						got = append(got, line)
					}
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("matches:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestImportedAttributes runs tiny DOT and Mermaid diagrams through the
// importers, as the analysis will, and matches on what they keep.
func TestImportedAttributes(t *testing.T) {
	tests := []struct {
		file, src string
		want      []string
	}{
		{"a.dot", `digraph { orders [label="Orders" technology="PostgreSQL"]; q [label="Jobs" tech="rabbitmq"]; w [label="Worker"] }`,
			[]string{"Jobs -> rabbitmq (attribute tech 'rabbitmq')", "Orders -> postgresql (attribute technology 'PostgreSQL')"}},
		{"a.mmd", "flowchart LR\n  A@{ icon: \"logos:postgresql\", label: \"Orders DB\", shape: cyl }\n  B[(Kafka)] --> C[Redis cache]\n  D[Records Service]\n",
			[]string{"Kafka -> apache-kafka (label word 'Kafka')", "Orders DB -> postgresql (attribute icon 'logos:postgresql' (word 'postgresql'))", "Redis cache -> redis (label words 'Redis cache')"}},
	}
	m := Default()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			diagrams, err := importers.Import(tt.file, []byte(tt.src), importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range diagrams {
				for _, c := range d.Components {
					if match, ok := m.Match(InputOf(c)); ok {
						got = append(got, c.Label+" -> "+match.Tech.ID+" ("+match.Reason+")")
					}
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
