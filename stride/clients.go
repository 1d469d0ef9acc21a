package stride

import "github.com/threatmap/threatmap/graph"

// This file reads two kinds of client the server side cannot control
// (Env.RichClient, Env.UnmanagedClient): software on a user's machine that
// sends the server state it acts on (a game client, a desktop or mobile
// app, a kiosk), and a person's own machine or desktop tool that keeps a
// copy of the system's data (a laptop, a workstation, a spreadsheet).
// Neither is the system's to secure: what the server accepts from the
// first must be checked again on the server, and what reaches the second
// has left the system's controls.

// richClientWords name client software that runs application logic on
// the user's machine and reports its results to a server.
var richClientWords = kw("game client", "game clients", "game app", "client app", "client application",
	"mobile app", "mobile application", "mobile client", "desktop app", "desktop application", "desktop client",
	"thick client", "fat client", "native app", "native client", "ios app", "android app", "kiosk", "kiosks",
	"point of sale", "pos terminal", "pos client", "game console", "launcher")

// richClient reports whether ci is a client the server must not trust
// (Env.RichClient): a mobile or desktop app by its technology, or a label
// naming client software that runs on the user's machine (and no
// server-side software). A browser is not one: application code in the
// browser is ClientApp, whose own rules cover it.
func (ci *compInfo) richClient() bool {
	if ci.kind == graph.KindDataStore || ci.clientApp != "" || ci.lw.first(serverWords) != "" || ci.lw.first(machineWords) != "" {
		return false
	}
	if ci.tech != nil && (ci.tech.ID == "user-workstation" || ci.tech.ID == "cli-client") {
		// A person's machine or a command-line tool: not software that
		// reports application state to a server.
		return false
	}
	switch ci.techRole() {
	case "mobile-app", "desktop-app":
		return true
	case "browser":
		return false
	}
	return ci.lw.first(richClientWords) != ""
}

// unmanagedWords name a person's own machine or a desktop tool that keeps
// what it is given: a laptop, a workstation, a spreadsheet.
var unmanagedWords = kw("laptop", "laptops", "workstation", "workstations", "desktop pc", "pc", "pcs",
	"home computer", "personal computer", "spreadsheet", "spreadsheets", "excel", "google sheets", "csv file*",
	"ms access", "desktop tool", "desktop tools", "local copy", "local copies", "usb drive", "usb stick")

// machineWords name a person's machine rather than software on it.
var machineWords = kw("laptop", "laptops", "workstation", "workstations", "desktop pc", "pc", "pcs",
	"home computer", "personal computer")

// unmanagedClient reports whether ci is a machine or desktop tool outside
// the system's control (Env.UnmanagedClient), and returns the data
// classes of what it receives from the system or reads from its stores
// (Env.CopiedData). A label naming server-side software ("Excel Export
// Service") is not one.
func (ci *compInfo) unmanagedClient() (bool, []string) {
	if ci.kind == graph.KindDataStore || ci.lw.first(unmanagedWords) == "" || ci.lw.first(serverWords) != "" {
		return false, nil
	}
	copied := set{}
	receives := false
	for _, fi := range ci.in {
		if fi.src.kind != graph.KindExternal {
			receives = true
			copied.add(fi.sens.sorted()...)
		}
	}
	for _, fi := range ci.out {
		if d := fi.dst; d.kind == graph.KindDataStore {
			// A direct connection to a store can query what it holds,
			// whichever way the arrow is drawn: it is copied.
			receives = true
			copied.add(fi.sens.sorted()...)
			copied.add(d.sens.sorted()...)
		}
	}
	if !receives {
		return false, nil
	}
	return true, copied.sorted()
}
