package stride

import (
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// Partition managers: the software that keeps isolation partitions apart
// and carries what passes between them. A hypervisor (Hafnium, Xen, KVM,
// pKVM) and its guests, a secure partition manager (an FF-A SPMC or SPMD)
// and its secure partitions, a secure monitor and the worlds that call it,
// a TEE OS core (OP-TEE, Trusty) and its trusted applications. The
// catalog names them (role partition-manager, by product or by the words
// "hypervisor", "secure partition manager", "SPMC", "TEE OS" and the
// like); a kernel or an RTOS that protects its tasks with an MPU is not
// one unless its words say so.
//
// What such a manager holds is worth more than any one partition: the
// device's keys and attestation state, the state it keeps for every
// partition, and the record of which partition owns which memory. Who
// attacks it is a partition it serves: the manager's threat model assumes
// the code in each of them may be the attacker's (a compromised rich OS,
// a malicious guest or trusted application), so a call from one counts as
// the widest reach, as another execution world does (local.go).

// partitionManager reports whether ci keeps partitions apart and mediates
// between them (its technology's role).
func (ci *compInfo) partitionManager() bool {
	return ci.tech != nil && ci.tech.Role == catalog.RolePartitionManager
}

// bootStageWords name a boot stage, which loads a partition manager
// rather than calling it.
var bootStageWords = kw("bl1", "bl2", "bl2u", "boot rom", "bootrom", "bootloader", "boot loader")

// servedBy reports whether src, sending to the partition manager mgr, is a
// partition that mgr serves and does not trust: software running beside
// or above it (a process, or another execution world of a firmware
// system), not a manager itself (a dispatcher relaying to the manager
// is mgr's peer, BIDI's relay), a person, a physical port, the isolation
// hardware mgr programs, or a boot stage that loads mgr, and not drawn in
// a more trusted zone than mgr.
func servedBy(src, mgr *compInfo) bool {
	if src == mgr || !mgr.partitionManager() || src.partitionManager() {
		return false
	}
	switch {
	case src.kind == graph.KindDataStore, src.human(), src.local == localPhysical:
		return false
	case src.kind == graph.KindExternal && src.local != localWorld && src.partition == "":
		return false // a party on the network, not a partition of the device
	case src.tags[TagIsolationHW], src.tags[TagBoot], src.lw.first(bootStageWords) != "":
		return false
	}
	return src.trust <= mgr.trust
}

// partitionCall returns the calling partition and the partition manager
// of the flow fi, nil and nil when fi is not a partition's call to a
// manager that serves it. The calls are fi's (callers.go): a two-way
// arrow drawn from the manager to a partition is that partition's call
// too (the manager does not call the partitions it serves on its own); a
// response is not a call, and a flow
// whose label names booting or loading is the manager's start, not a
// call.
func partitionCall(fi *flowInfo) (caller, mgr *compInfo) {
	if fi.respOf != nil || !fi.src.partitionManager() && !fi.dst.partitionManager() ||
		newWords(fi.label).first(bootWords) != "" {
		return nil, nil
	}
	for _, c := range fi.calls() {
		if servedBy(c.caller, c.callee) {
			return c.caller, c.callee
		}
	}
	return nil, nil
}

// servedCalls returns the partition calls that reach the manager ci, in
// diagram order.
func (ci *compInfo) servedCalls() []*flowInfo {
	if !ci.partitionManager() {
		return nil
	}
	var out []*flowInfo
	for _, fl := range [][]*flowInfo{ci.in, ci.out} {
		for _, fi := range fl {
			if _, m := partitionCall(fi); m == ci {
				out = append(out, fi)
			}
		}
	}
	return out
}

// servedPartitions names the partitions that call the manager ci
// (Env.ServedPartitions), "" for none.
func (ci *compInfo) servedPartitions() string {
	s := set{}
	for _, fi := range ci.servedCalls() {
		c, _ := partitionCall(fi)
		s.add(c.label)
	}
	return joinNames(s.sorted())
}

// partitionCallerWhy says who reaches a manager through a partition's
// call, for exposure reasons.
func partitionCallerWhy(caller, mgr *compInfo) string {
	return caller.label + " is a partition " + mgr.label + " serves and does not trust: its code is assumed to be the attacker's (a compromised OS, guest or trusted application), and it calls " + mgr.label + " at will"
}

// partitionCaller is the calling partition of fi, nil when fi is not a
// partition's call to its manager.
func partitionCaller(fi *flowInfo) *compInfo {
	c, _ := partitionCall(fi)
	return c
}

// partitionManagerOf is the manager fi calls, nil when fi is not a
// partition's call to its manager.
func partitionManagerOf(fi *flowInfo) *compInfo {
	_, m := partitionCall(fi)
	return m
}
