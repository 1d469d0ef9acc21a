// Package stencils knows draw.io's vendor icons: the display title draw.io's
// own palettes give a stencil ("mxgraph.aws4.rds" -> "Amazon RDS"), from
// titles.tsv (see its header for where the titles come from and
// gen_titles.go for how it is generated), else a title made from
// the stencil's or image file's own name; and the category of thing an icon
// shows (database, queue, user, ...), which the picture draws as a glyph.
// The draw.io importer names unlabelled icons with it; annotate captions
// and draws icons with it.
package stencils

// Regenerate titles.tsv from draw.io checkouts: DRAWIO_SOURCES holds one or
// more "-src WEBAPP=ORIGIN" flags, newest first (WEBAPP is a checkout's
// src/main/webapp folder, ORIGIN the repository@commit it is), e.g.
// DRAWIO_SOURCES="-src $HOME/drawio/src/main/webapp=github.com/jgraph/drawio@<commit>".
// titles.tsv's header lists the sources it was made from.
//
//go:generate sh -c "go run gen_titles.go $DRAWIO_SOURCES -out titles.tsv"

import (
	_ "embed"
	"path"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

//go:embed titles.tsv
var titlesTSV string

var (
	titlesOnce sync.Once
	titles     map[string]string
)

func loadTitles() {
	titles = map[string]string{}
	for _, line := range strings.Split(titlesTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, "\t"); ok {
			titles[k] = v
		}
	}
}

// Keys are the keys a draw.io style may be known by, most specific first:
// the resource icon, the product icon (with the shape for Kubernetes'
// bare names), the shape, an image file (not a data: URI). Arguments are
// the style's shape, resIcon, prIcon and image values.
func Keys(shape, resIcon, prIcon, image string) []string {
	var keys []string
	if resIcon != "" {
		keys = append(keys, resIcon)
	}
	if prIcon != "" {
		if strings.Contains(prIcon, ".") {
			keys = append(keys, prIcon)
		} else if shape != "" {
			keys = append(keys, shape+"."+prIcon)
		}
	}
	if shape != "" && shape != "image" {
		keys = append(keys, shape)
	}
	if image != "" && !strings.HasPrefix(image, "data:") {
		keys = append(keys, image)
	}
	return keys
}

// StyleKeys is Keys for a raw draw.io style string ("a=b;c=d;...").
func StyleKeys(style string) []string {
	var shape, res, pr, img string
	for _, kv := range strings.Split(style, ";") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "shape":
			shape = strings.TrimSpace(v)
		case "resIcon":
			res = strings.TrimSpace(v)
		case "prIcon":
			pr = strings.TrimSpace(v)
		case "image":
			img = strings.TrimSpace(v)
		}
	}
	return Keys(shape, res, pr, img)
}

// IsGeneric reports whether a stencil key's last part names no particular
// thing ("mxgraph.aws4.resourceIcon", "mxgraph.cisco19.rect"): such a key
// is never a title of its own.
func IsGeneric(key string) bool {
	base := key
	if strings.Contains(key, "/") {
		base = strings.TrimSuffix(path.Base(key), path.Ext(key))
	} else if i := strings.LastIndexByte(key, '.'); i >= 0 {
		base = key[i+1:]
	}
	return genericStencils[strings.ToLower(base)]
}

// lookup finds a key's palette title; draw.io's stencil registry ignores
// the case of stencil names ("mxgraph.dfd.dataStoreID"), so a key not
// found as written is tried in lower case.
func lookup(k string) (string, bool) {
	if t, ok := titles[k]; ok {
		return t, true
	}
	if strings.HasPrefix(k, "mxgraph.") {
		t, ok := titles[strings.ToLower(k)]
		return t, ok
	}
	return "", false
}

// Title returns the display name of the stencil known by keys, and whether
// it comes from draw.io's palettes ("palette") or was made from the
// stencil's own name ("stencil"); "" when the keys name no stencil (a plain
// rectangle, an ellipse).
func Title(keys []string) (title, source string) {
	titlesOnce.Do(loadTitles)
	for _, k := range keys {
		if t, ok := lookup(k); ok {
			return t, "palette"
		}
	}
	for _, k := range keys {
		if t := nameFromKey(k); t != "" {
			return t, "stencil"
		}
	}
	return "", ""
}

// genericStencils are last name parts that say nothing about what is drawn.
var genericStencils = map[string]bool{
	"": true, "icon": true, "resourceicon": true, "producticon": true, "rect": true, "rectangle": true,
	"label": true, "ellipse": true, "image": true, "group": true, "groupcenter": true, "text": true, "doublerect": true,
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

// sizeSuffix is the pixel size some image file names end with.
var sizeSuffix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[_-]\d+x\d+$`) })

// nameFromKey turns the last part of a stencil key or image path into
// words: "mxgraph.cisco.routers.router" -> "Router",
// "img/lib/azure2/compute/Virtual_Machine.svg" -> "Virtual Machine".
func nameFromKey(key string) string {
	base := key
	if strings.Contains(key, "/") {
		base = strings.TrimSuffix(path.Base(key), path.Ext(key))
		// Azure's files are numbered: "10021-icon-service-Virtual-Machine".
		if i := strings.Index(strings.ToLower(base), "-icon-service-"); i >= 0 {
			base = base[i+len("-icon-service-"):]
		}
		// Clip art carries its size: "Netbook_128x128".
		base = sizeSuffix().ReplaceAllString(base, "")
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
