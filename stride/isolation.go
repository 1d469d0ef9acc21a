package stride

// Isolation partitions: zones that are two sides of one machine rather
// than two places on a network. A secure and a non-secure world (Arm
// TrustZone, PSA's SPE and NSPE), a trusted execution environment or an
// enclave and the rich OS beside it, a hypervisor and its guests, a kernel
// and user space, a browser's privileged process and its sandboxed
// renderers. What keeps such sides apart is configuration that something
// must set up before the less trusted side runs (memory protection, page
// tables, an IOMMU, a sandbox policy), and what crosses between them is a
// call gate whose requests name memory, handles and devices. Two concerns
// follow that network zones do not have (rules/isolation.yaml): the less
// trusted side started before the isolation is in place, and requests
// that name resources belonging to the other side.

// partitionWords name an isolation partition in a boundary label.
var partitionWords = kw(
	"secure world", "normal world", "non secure", "nonsecure", "nspe", "spe",
	"secure processing environment", "rich execution environment", "ree",
	"trusted execution environment", "tee", "enclave", "secure enclave", "trustzone", "realm",
	"hypervisor", "vmm", "dom0", "domu", "guest vm", "guest os", "guest kernel", "guest partition",
	"kernel space", "kernel mode", "user space", "userspace", "user mode", "userland",
	"sandbox", "sandboxed", "renderer",
)

// partitionOf names the isolation partition ci runs in: the label of the
// innermost boundary around it that names one ("NSPE", "Secure world",
// "Guest VM"); "" when none does.
func (a *analysis) partitionOf(ci *compInfo) string {
	if ci.local == localWorld {
		// Another world of a firmware system drawn outside the boundary
		// ("Non-secure Clients"): it is its own partition (local.go).
		return ci.label
	}
	if ci.c.Boundary == "" {
		return ""
	}
	chain := a.d.BoundaryChain(ci.c.Boundary)
	for i := len(chain) - 1; i >= 0; i-- {
		b := a.bounds[chain[i]]
		if b != nil && b.words().first(partitionWords) != "" {
			return oneLine(b.b.Label)
		}
	}
	if calledByWorld(ci) {
		// On a firmware diagram the boundary that other worlds call into
		// is the more privileged side, whatever its label says ("TF-A").
		return ci.zone
	}
	return ""
}

// callersByPartition maps each isolation partition to what key says of
// the less trusted components that call into it from another partition
// (either end of a two-way flow calls, callers.go).
func (a *analysis) callersByPartition(key func(src *compInfo) string) map[string]set {
	from := map[string]set{}
	for _, fi := range a.flows {
		for _, c := range fi.calls() {
			src, dst := c.caller, c.callee
			if src.partition == "" || dst.partition == "" || src.partition == dst.partition || src.trust >= dst.trust {
				continue
			}
			if from[dst.partition] == nil {
				from[dst.partition] = set{}
			}
			from[dst.partition].add(key(src))
		}
	}
	return from
}

// partitionCallers maps each isolation partition to the less trusted
// partitions that send flows into it (Env.PartitionCallers), their labels
// sorted and joined for prose. What enters a partition passes its call
// gate (a secure gateway, a system call, a hypercall), so every component
// of the partition is reachable from there, drawn flow or not.
func (a *analysis) partitionCallers() map[string]string {
	from := a.callersByPartition(func(src *compInfo) string { return src.partition })
	out := make(map[string]string, len(from))
	for p, s := range from {
		out[p] = joinNames(s.sorted())
	}
	return out
}

// calledByWorld reports whether another execution world of a firmware
// system calls ci across a boundary.
func calledByWorld(ci *compInfo) bool {
	if ci.local != "" {
		return false
	}
	for c := range ci.callsIn() {
		if c.caller.local == localWorld {
			return true
		}
	}
	return false
}
