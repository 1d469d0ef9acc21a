package stride

import (
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// This file reads a device's local interface drawn as a box of its own. A
// diagram of a connected device often draws what the device exposes on the
// local network ("Local API", "Local web UI", "Debug console") as a box
// beside or inside the device, with the callers' arrows ending on that box
// rather than on the device. The threat about unauthenticated local access
// belongs on the interface the callers reach: the box is read as the
// device's interface (Env.DeviceInterface), and the device itself, whose
// interfaces are drawn, leaves the threat to them (Env.InterfaceBoxes).

// localInterfaceWords name a local interface of a device on a label.
var localInterfaceWords = kw("local api", "local rest api", "local http api", "local web ui", "local web interface",
	"local web page", "local web server", "local webserver", "local ui", "local interface", "local console",
	"local admin interface", "local admin page", "debug console", "debug interface", "debug shell", "device api",
	"device web ui", "device web interface", "device web server")

// isDevice reports whether ci is a connected device or gateway by its
// technology's role.
func isDevice(ci *compInfo) bool {
	t := ci.tech
	return t != nil && (t.Role == catalog.RoleIoTDevice || t.Role == catalog.RoleIoTGateway)
}

// readDeviceInterfaces links every process whose label names a local
// interface to its device: the one device it exchanges flows with or is
// drawn inside (a device box that is also a frame). A box related to no
// device, or to several, is left as it is.
func (a *analysis) readDeviceInterfaces() {
	for _, ci := range a.comps {
		if ci.kind != graph.KindProcess || isDevice(ci) || newWords(ci.label).first(localInterfaceWords) == "" {
			continue
		}
		var dev *compInfo
		several := false
		note := func(d *compInfo) {
			switch {
			case d == ci || !isDevice(d) || d == dev:
			case dev == nil:
				dev = d
			default:
				several = true
			}
		}
		for _, fi := range ci.in {
			note(fi.src)
		}
		for _, fi := range ci.out {
			note(fi.dst)
		}
		if ci.c.Boundary != "" {
			for _, b := range a.d.BoundaryChain(ci.c.Boundary) {
				if d := a.byID[b]; d != nil {
					note(d)
				}
			}
		}
		if dev == nil || several {
			continue
		}
		ci.deviceOf = dev
		dev.ifaces = append(dev.ifaces, ci.label)
	}
}
