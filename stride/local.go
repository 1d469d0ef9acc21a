package stride

import "github.com/threatmap/threatmap/graph"

// Firmware and embedded diagrams (TF-A, TF-M, a boot chain, a secure
// monitor): what is drawn outside the trust boundary there is not the
// public internet but another execution world on the same chip (the
// non-secure world, a rich OS, secure partitions calling the monitor) or a
// physical port of the device (UART, JTAG, debug and trace, external
// flash). Both are untrusted input, but reaching them takes code already
// running on the device or hands on the board, not a connection from
// anywhere, and the threats read differently: a malformed call or image,
// not a request flood from the internet.

// Local access kinds (compInfo.local, Env.Local).
const (
	localWorld    = "world"    // a less privileged execution world on the same device
	localPhysical = "physical" // a physical port or medium of the device
)

// firmwareWords mark a diagram as firmware or embedded when a component or
// a boundary label names one of them.
var firmwareWords = kw(
	"firmware", "bootloader", "boot loader", "boot rom", "bootrom", "boot stage", "secure boot", "trusted boot",
	"secure monitor", "el3", "bl1", "bl2", "bl31", "bl32", "bl33", "tf a", "tf m", "trustzone", "tz controller",
	"secure world", "normal world", "nspe", "spe", "secure partition", "smc", "microcontroller", "mcu", "soc",
	"rom", "mmu", "mpu", "gic",
)

// codeHostWords name where source or builds of firmware live ("TF-A
// repo"): a supply-chain diagram about firmware is not a firmware diagram.
var codeHostWords = kw("repo", "repository", "git", "gerrit", "source", "build", "ci", "pipeline", "registry", "toolchain")

// physicalWords name a physical port, bus or medium of a device.
var physicalWords = kw(
	"uart", "serial", "jtag", "swd", "debug", "trace", "usb", "spi", "i2c", "gpio", "pins", "probe",
	"flash", "non volatile memory", "nvm", "emmc", "sd card", "eeprom", "otp", "fuses", "dram", "memory",
)

// debugWords name a hardware debug or trace access port (JTAG, SWD, a
// debug probe): through it an attacker halts the processor and reads or
// writes memory and registers directly, below any software on the chip.
var debugWords = kw("jtag", "swd", "debug", "trace", "probe")

// networkWords keep a component outside a firmware diagram on the network:
// an update server or a cloud service is still reached over the internet.
var networkWords = kw(
	"internet", "cloud", "server", "web", "api", "remote", "ota", "backend", "portal", "browser", "network",
)

// guardedWords name a place where physical access to a device is
// controlled: a data centre, a server room or rack. Attacks that need
// hands on the board are unlikely there (TF-A's threat model rates them
// N/A for servers), likely for a device its users carry or install.
var guardedWords = kw(
	"data center", "data centre", "datacenter", "datacentre", "server room", "server rack", "rack",
	"colocation", "server platform", "server soc", "server board", "secure facility",
)

// isFirmwareDiagram reports whether the diagram models firmware or an
// embedded system: a component or boundary names a boot stage, a secure
// monitor, a TrustZone world or the like.
func (a *analysis) isFirmwareDiagram() bool {
	for _, ci := range a.comps {
		if ci.kind != graph.KindExternal && ci.w.first(firmwareWords) != "" && ci.w.first(codeHostWords) == "" {
			return true
		}
	}
	for _, bi := range a.bounds {
		if newWords(authorLabel(bi.b)).first(firmwareWords) != "" {
			return true
		}
	}
	return false
}

// markLocal sets, on a firmware diagram, how each untrusted component
// drawn outside the boundaries reaches the system: through a physical port
// or as another execution world. A component that names a network
// (an update server, a cloud service) stays on the internet.
func (a *analysis) markLocal() {
	if !a.isFirmwareDiagram() {
		return
	}
	physical := reachInternet
	if a.physicallyGuarded() {
		physical = reachInternal
	}
	for _, ci := range a.comps {
		if ci.w.first(networkWords) != "" || ci.human() && ci.w.first(physicalWords) == "" {
			continue
		}
		if ci.trust > TrustUntrusted {
			// A port, memory or world drawn outside every boundary is
			// outside the device's trust boundary, whatever its shape
			// made it (a box "UART" reads as a process); a stated trust
			// attribute or configuration still wins.
			if !ci.outside && ci.outsideTrust == "" || ci.provider || attrFirst(ci.c.Attributes, "trust", "trust_level") != "" || a.cfg.component(ci.c) != nil {
				continue
			}
			ci.trust = TrustUntrusted
			ci.placement = "drawn outside the trust boundary of a firmware diagram and calls into it: another world or a port of the device, untrusted"
			if ci.outside {
				ci.zone = "outside the system"
				ci.placement = "drawn outside every boundary of a firmware diagram: another world or a port of the device, untrusted"
			}
			ci.zoneReason = ci.placement
		}
		if ci.w.first(physicalWords) != "" {
			ci.local, ci.physicalReach = localPhysical, physical
			ci.debugPort = ci.w.first(debugWords) != ""
		} else {
			ci.local = localWorld
		}
	}
}

// physicallyGuarded reports whether the diagram puts the device where
// physical access is controlled: its title, a boundary or one of its own
// components names a data centre, a server room or a rack.
func (a *analysis) physicallyGuarded() bool {
	if newWords(a.d.Title+" "+a.d.Name).first(guardedWords) != "" {
		return true
	}
	for _, bi := range a.bounds {
		if newWords(authorLabel(bi.b)).first(guardedWords) != "" {
			return true
		}
	}
	for _, ci := range a.comps {
		if ci.kind != graph.KindExternal && !ci.outside && ci.w.first(guardedWords) != "" {
			return true
		}
	}
	return false
}

// onInternet reports whether ci is reached from the public internet: an
// untrusted component that is not a local world or port of a device.
func (ci *compInfo) onInternet() bool {
	return ci.trust <= TrustUntrusted && ci.local == ""
}

// localWhere says where a local component is, for reasons and attackers.
func (ci *compInfo) localWhere() string {
	if ci.local == localPhysical {
		if ci.physicalReach < reachInternet {
			return ci.label + " is a physical port or medium of a device kept where physical access is controlled: an attacker needs to get to the board"
		}
		return ci.label + " is a physical port or medium of the device: whoever holds the device reaches it with common tools (a serial cable, a debug probe, a flash programmer)"
	}
	return ci.label + " is another execution world on the same device, assumed to run the attacker's code"
}

// localName names the world a local component is, "" for none.
func localName(ci *compInfo) string {
	if ci.local == localWorld {
		return ci.label
	}
	return ""
}

// reachOfLocal is the reach of a local component. Firmware threat models
// assume the less privileged world is already the attacker's (a
// compromised rich OS or application calls the monitor at will), so it
// counts as the widest reach. A physical port or medium counts the same
// on a device its users hold (a phone, an IoT device, anything sold,
// lost or left in public): its owner, a thief or a repair shop attaches a
// serial cable, a debug probe or a flash programmer, common tools whose
// use is public knowledge (TF-A's threat model rates such attacks likely
// to certain for IoT and mobile devices). Where the diagram puts the
// device behind controlled physical access (a data centre, a server
// rack), a port takes a foothold inside, as an internal zone does.
func reachOfLocal(ci *compInfo) int {
	if ci.local == localPhysical {
		if ci.physicalReach == 0 {
			return reachInternet
		}
		return ci.physicalReach
	}
	return reachInternet
}
