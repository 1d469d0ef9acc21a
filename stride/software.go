package stride

import (
	"github.com/threatmap/threatmap/graph"
)

// What counts as software the system's owner builds and deploys, for the
// system facts that scale with it (the "N services" of T-SYS-03): not a
// hardware block drawn as a box (memory, a UART, an interrupt controller),
// not a placeholder ("..."), and not a component that stands for a whole
// box whose contents are drawn and counted themselves (a DOT edge to a
// cluster).

// hardwareWords name hardware blocks and physical ports. A label with one
// of them and no software noun ("TZ Controller", "Non-volatile Memory",
// "Debug & Trace") is hardware; "Flash Update Service" is software.
var hardwareWords = kw(
	"hardware", "hardware ip", "hw", "memory", "non volatile memory", "nvm", "flash", "eeprom", "sram", "dram", "ram",
	"otp", "efuse", "fuse", "uart", "serial port", "jtag", "swd", "debug", "trace", "gic",
	"interrupt controller", "tz controller", "tzc", "trustzone controller", "memory controller", "mmu", "smmu", "iommu",
	"dma", "cpu", "soc", "gpio", "i2c", "spi", "usb port", "watchdog", "crypto accelerator", "peripheral",
	"sensor", "actuator",
)

// softwareNouns make a label with a hardware word name software ("Flash
// Update Service", "Debug API", "Trace Collector").
var softwareNouns = kw(
	"service", "svc", "server", "api", "app", "application", "daemon", "agent", "driver", "firmware",
	"bootloader", "loader", "os", "kernel", "monitor", "runtime", "collector", "handler", "manager",
	"worker", "library", "stack", "partition",
)

// hardwareBlock reports whether a component is a hardware block, by its
// label, and the word that says so.
func hardwareBlock(ci *compInfo) (string, bool) {
	k := ci.w.first(hardwareWords)
	if k == "" || ci.w.first(softwareNouns) != "" {
		return "", false
	}
	return k, true
}

// placeholder reports whether a label has no word at all ("...", "…",
// "-"): an ellipsis standing for more of the same, not a component.
func placeholder(label string) bool {
	return len(newWords(label).toks) == 0
}

// standsForBox reports whether a component stands for a whole box (a DOT
// edge to a cluster) whose contents are drawn as components of their own.
func standsForBox(ci *compInfo) bool {
	return ci.c != nil && ci.c.Attributes["represents"] == "boundary"
}

// ownSoftware reports whether a process is software the system's owner
// deploys: not run by a provider, not a proxy, and none of the above.
func ownSoftware(ci *compInfo) bool {
	if ci.kind != graph.KindProcess || ci.tags[TagProxy] || ci.tech != nil && ci.tech.Managed {
		return false
	}
	if placeholder(ci.label) || standsForBox(ci) {
		return false
	}
	_, hw := hardwareBlock(ci)
	return !hw
}
