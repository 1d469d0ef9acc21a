package drawio

import (
	_ "embed"
	"path"
	"strings"
	"sync"
	"unicode"
)

// Unlabelled icons are named the way draw.io's own palettes name them
// ("Amazon RDS", "Amazon Route 53", "Pod"), from palette_titles.tsv (see
// its header for where the titles come from), else from the stencil's or
// image file's own name ("mxgraph.cisco.routers.router" -> "Router",
// "img/lib/azure2/compute/Virtual_Machine.svg" -> "Virtual Machine").
// Never from the cell id.

//go:embed palette_titles.tsv
var paletteTSV string

var (
	paletteOnce   sync.Once
	paletteTitles map[string]string
)

func loadPalette() {
	paletteTitles = map[string]string{}
	for _, line := range strings.Split(paletteTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, "\t"); ok {
			paletteTitles[k] = v
		}
	}
}

// stencilKeys are the keys a style may be known by, most specific first:
// the resource or product icon, the shape with its product icon
// (Kubernetes), the shape, an image file.
func stencilKeys(st style) []string {
	var keys []string
	shape := st.get("shape")
	if ri := st.get("resIcon"); ri != "" {
		keys = append(keys, ri)
	}
	if pi := st.get("prIcon"); pi != "" {
		if strings.Contains(pi, ".") {
			keys = append(keys, pi)
		} else if shape != "" {
			keys = append(keys, shape+"."+pi)
		}
	}
	if shape != "" && shape != "image" {
		keys = append(keys, shape)
	}
	if img := st.get("image"); img != "" && !strings.HasPrefix(img, "data:") {
		keys = append(keys, img)
	}
	return keys
}

// paletteTitle returns the display name of the stencil a style draws, and
// whether it comes from draw.io's palettes ("palette") or was made from
// the stencil's own name ("stencil"); "" when the style draws no stencil
// (a plain rectangle, an ellipse).
func paletteTitle(st style) (title, source string) {
	paletteOnce.Do(loadPalette)
	keys := stencilKeys(st)
	for _, k := range keys {
		if t, ok := paletteTitles[k]; ok {
			return t, "palette"
		}
	}
	for _, k := range keys {
		if t := nameFromStencil(k); t != "" {
			return t, "stencil"
		}
	}
	return "", ""
}

// genericStencils are last name parts that say nothing about what is drawn.
var genericStencils = map[string]bool{
	"": true, "icon": true, "resourceicon": true, "producticon": true, "rect": true, "rectangle": true,
	"label": true, "ellipse": true, "image": true, "group": true, "groupcenter": true, "text": true,
}

// upperWords keep their capitals when a stencil name is turned into words.
var upperWords = map[string]string{
	"api": "API", "db": "DB", "dns": "DNS", "vpn": "VPN", "vm": "VM", "vms": "VMs", "sql": "SQL", "iot": "IoT",
	"waf": "WAF", "cdn": "CDN", "nat": "NAT", "ip": "IP", "http": "HTTP", "https": "HTTPS", "ssl": "SSL", "tls": "TLS",
	"aws": "AWS", "gcp": "GCP", "ad": "AD", "ai": "AI", "ml": "ML", "vpc": "VPC", "vnet": "VNet", "lan": "LAN",
	"wan": "WAN", "ssh": "SSH", "ftp": "FTP", "sftp": "SFTP", "smtp": "SMTP", "cpu": "CPU", "gpu": "GPU", "id": "ID",
	"ids": "IDS", "ips": "IPS", "saml": "SAML", "sso": "SSO", "iam": "IAM", "kms": "KMS", "rds": "RDS", "s3": "S3",
	"ec2": "EC2", "sqs": "SQS", "sns": "SNS", "eks": "EKS", "ecs": "ECS", "aks": "AKS", "gke": "GKE", "ui": "UI",
	"pc": "PC", "nas": "NAS", "san": "SAN", "ups": "UPS", "pbx": "PBX", "ldap": "LDAP", "hsm": "HSM",
}

// nameFromStencil turns the last part of a stencil key or image path into
// words: "mxgraph.cisco.routers.router" -> "Router",
// "img/lib/azure2/compute/Virtual_Machine.svg" -> "Virtual Machine".
func nameFromStencil(key string) string {
	base := key
	if strings.Contains(key, "/") {
		base = strings.TrimSuffix(path.Base(key), path.Ext(key))
		// Azure's files are numbered: "10021-icon-service-Virtual-Machine".
		if i := strings.Index(strings.ToLower(base), "-icon-service-"); i >= 0 {
			base = base[i+len("-icon-service-"):]
		}
	} else if i := strings.LastIndexByte(key, '.'); i >= 0 {
		base = key[i+1:]
	}
	if genericStencils[strings.ToLower(base)] || !strings.Contains(key, ".") {
		return ""
	}
	words := strings.FieldsFunc(base, func(r rune) bool { return r == '_' || r == '-' || r == ' ' })
	for i, w := range words {
		if u, ok := upperWords[strings.ToLower(w)]; ok {
			words[i] = u
			continue
		}
		r := []rune(w)
		if i == 0 || len(r) > 3 {
			r[0] = unicode.ToUpper(r[0])
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}
