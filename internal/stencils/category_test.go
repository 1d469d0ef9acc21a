package stencils

import "testing"

func TestCategory(t *testing.T) {
	tests := []struct {
		style, label, want string
	}{
		{"shape=mxgraph.aws4.productIcon;prIcon=mxgraph.aws4.rds;", "", Database},
		{"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.route_53;", "", Network},
		{"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;", "", Function},
		{"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.sqs;", "", Queue},
		{"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;", "", Storage},
		{"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.cognito;", "", Identity},
		{"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.waf;", "", Security},
		{"shape=mxgraph.aws4.m4_instance;", "", Compute},
		{"shape=mxgraph.aws4.users;", "", User},
		{"shape=mxgraph.aws4.internet_alt2;", "", Internet},
		{"shape=mxgraph.kubernetes.icon;prIcon=pod", "", Container},
		{"shape=mxgraph.azure.virtual_machine;", "", Compute},
		{"shape=mxgraph.azure.mysql_database;", "", Database},
		{"shape=mxgraph.azure.notification_hub;", "", Queue},
		{"shape=mxgraph.mscae.cloud.azure_load_balancer_feature;", "", Network},
		{"shape=mxgraph.networks.cloud;", "", Internet},
		{"shape=mxgraph.networks.pc;", "", Device},
		{"shape=mxgraph.citrix.firewall;", "", Security},
		{"shape=mxgraph.citrix.thin_client;", "", Device},
		{"shape=mxgraph.gcp2.laptop;", "", Device},
		{"image;image=img/lib/azure2/databases/Azure_Cosmos_DB.svg;", "", Database},
		// An embedded image says nothing: the label tells.
		{"image;image=data:image/svg+xml,AAAA;", "Dynamic Content\nCloud SQL", Database},
		{"image;image=data:image/svg+xml,AAAA;", "Cloud Load Balancing", Network},
		{"shape=mxgraph.mscae.intune.data_migration_wizard;", "", Generic},
	}
	for _, tt := range tests {
		keys := StyleKeys(tt.style)
		title, _ := Title(keys)
		if got := Category(keys, title, tt.label); got != tt.want {
			t.Errorf("%s %q: %s, want %s", tt.style, tt.label, got, tt.want)
		}
	}
}

func TestVendor(t *testing.T) {
	for style, want := range map[string]string{
		"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;": "AWS",
		"image;image=img/lib/azure2/compute/Virtual_Machine.svg;":  "Azure",
		"shape=mxgraph.networks.server;":                           "Network",
		"shape=mxgraph.flowchart.database;":                        "",
		"shape=mxgraph.dfd.data;":                                  "",
		"rounded=1;":                                               "",
	} {
		if got := Vendor(StyleKeys(style)); got != want {
			t.Errorf("%s: %q, want %q", style, got, want)
		}
	}
}
