package stride

import (
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// This file reads the clusters a multi-cluster diagram draws: a managing
// control plane (Karmada, a Cluster API management cluster) whose state
// store holds what every member cluster runs, and member or workload
// clusters, each with an API server of its own, in frames of their own.

// apiServerTechs are the catalog's API servers: the one component every
// cluster has, so a frame holding one is a cluster.
var apiServerTechs = map[string]bool{"kube-apiserver": true, "karmada-apiserver": true}

// readMemberClusters sets Env.MemberClusters on each state store whose
// API servers are drawn in one set of frames while other frames hold API
// servers of their own.
func (a *analysis) readMemberClusters() {
	var servers []*compInfo
	for _, ci := range a.comps {
		if ci.kind == graph.KindProcess && ci.tech != nil && apiServerTechs[ci.tech.ID] {
			servers = append(servers, ci)
		}
	}
	if len(servers) < 2 {
		return
	}
	for _, ci := range a.comps {
		if ci.env == nil || catalog.Role(ci.techRole()) != catalog.RoleStateStore {
			continue
		}
		own := map[string]bool{}
		for _, fl := range [][]*flowInfo{ci.in, ci.out} {
			for _, fi := range fl {
				p := fi.src
				if p == ci {
					p = fi.dst
				}
				if p.tech != nil && apiServerTechs[p.tech.ID] {
					own[p.c.Boundary] = true
				}
			}
		}
		if len(own) == 0 {
			continue
		}
		var names []string
		seen := map[string]bool{}
		for _, s := range servers {
			if own[s.c.Boundary] || s.c.Boundary == "" || seen[s.c.Boundary] {
				continue
			}
			seen[s.c.Boundary] = true
			names = append(names, s.zone)
		}
		ci.env.MemberClusters = joinNames(names)
	}
}
