package stride

import (
	"strconv"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// This file reads which browsers run the system's own application code
// (Env.ClientApp). A browser that only visits a server-rendered site is the
// user's agent: what it shows and does is decided on the server, and the
// threats are the server's. A browser that runs a single-page application,
// a browser-based tool or a front end that keeps data in the browser runs
// code the system ships: that code renders untrusted content, keeps
// tokens and data in browser storage, shares the page with extensions,
// validates input the server may never see again, and is only as good as
// the scripts it loads. The diagram shows it in one of these ways:
//
//   - the element's label or technology names application code in the
//     browser ("Browser (SPA)", "Web app in the browser", "React app",
//     "browser-based editor");
//   - the element is drawn inside a box that is a browser ("Browser"
//     around "Web App");
//   - a browser reads or writes browser storage drawn as a store (local
//     storage, IndexedDB, session storage);
//   - a browser opens or imports files it is given (a flow into it that
//     carries files or documents) without passing them on as an upload.

// browserAppWords name application code that runs in a browser whatever
// else the label says.
var browserAppWords = kw("spa", "spas", "single page app*", "single page application*", "progressive web app*", "pwa",
	"browser based", "browser app*", "in browser", "in the browser", "client side app*", "client side code",
	"javascript app*", "js app*", "browser extension app*")

// appWords name an application when the element is also a browser
// ("Browser (web app)"), or sits inside one ("Web App" drawn in the
// browser's box): on their own they name server-side software as often.
var appWords = kw("app", "apps", "application", "web app", "webapp", "frontend", "front end", "ui", "user interface",
	"editor", "tool", "client app*", "dashboard", "console", "portal")

// browserStorageWords name the storage a browser gives a page.
var browserStorageWords = kw("local storage", "localstorage", "session storage", "sessionstorage", "indexeddb",
	"indexed db", "web storage", "browser storage", "websql", "web sql", "opfs", "origin private file system",
	"cache storage", "browser cache", "browser database")

// openWords on a flow into a browser say the user hands it files to open
// (the upload tag says files or documents).
var openWords = kw("import*", "open*", "load*", "drag*", "drop*", "paste*")

// browserBox reports whether boundary b's label names a browser.
func (a *analysis) browserBox(b string) (string, bool) {
	bi := a.bounds[b]
	if bi == nil {
		return "", false
	}
	if k := bi.words().first(kw("browser", "web browser")); k != "" {
		return firstNonEmpty(oneLine(bi.b.Label), b), true
	}
	return "", false
}

// browserSide reports whether ci is a browser (by technology or label): a
// client application of the browser kind, not a mobile or desktop app.
func (ci *compInfo) browserSide() bool {
	if ci.kind == graph.KindDataStore {
		return false
	}
	if ci.tech != nil && ci.tech.Role == catalog.RoleBrowser {
		return true
	}
	return ci.lw.first(kw("browser", "web browser")) != "" && ci.w.first(backendWords) == ""
}

// backendWords name server-side software: a label with one is not code
// in the browser ("SPA backend", "Browser gateway").
var backendWords = kw("server", "servers", "backend", "back end", "service", "services", "svc", "api", "apis", "gateway",
	"database", "db", "worker", "lambda", "function", "functions", "proxy", "queue", "bff")

// readClientApps sets clientApp on every component that runs the system's
// application code in a browser, with the reason.
// A browser drawn as an external entity that runs such code becomes a
// process: the code is the system's, running where the user is in control.
func (a *analysis) readClientApps() {
	for _, ci := range a.comps {
		ci.clientApp = a.clientAppReason(ci)
		if ci.clientApp != "" && ci.kind == graph.KindExternal {
			ci.kind, ci.confident = graph.KindProcess, true
			ci.kindReason = "runs the system's application code in the user's browser: " + ci.clientApp
			delete(ci.tags, TagSaaS)
		}
	}
}

// clientAppReason says why ci runs application code in a browser, ""
// when it does not.
func (a *analysis) clientAppReason(ci *compInfo) string {
	if ci.kind == graph.KindDataStore || ci.person != nil && ci.person.Device == "" {
		return ""
	}
	box, inBrowser := a.browserBox(ci.c.Boundary)
	if inBrowser && ci.kind != graph.KindDataStore && !ci.human() {
		return "it is drawn inside the browser " + strconv.Quote(box)
	}
	if ci.w.first(backendWords) != "" {
		return "" // server-side software named after its front end ("SPA backend")
	}
	if ci.tech != nil && ci.tech.ID == "single-page-app" {
		return "its technology is a single-page application (" + ci.techReason + ")"
	}
	if k := ci.lw.first(browserAppWords); k != "" {
		return "its label names application code in the browser (" + strconv.Quote(k) + ")"
	}
	if !ci.browserSide() {
		return ""
	}
	if k := ci.lw.first(appWords); k != "" {
		return "the browser's label names an application (" + strconv.Quote(k) + ")"
	}
	if s := ci.browserStores(); len(s) > 0 {
		return "it keeps data in browser storage (" + joinNames(s) + ")"
	}
	if fi := ci.openedFile(); fi != nil {
		return "it opens files it is given (" + strconv.Quote(firstNonEmpty(fi.label, fi.src.label)) + ")"
	}
	return ""
}

// browserStores names the stores a browser-side component reads or
// writes that are browser storage (by their words, or drawn inside a
// browser's box).
func (ci *compInfo) browserStores() []string {
	var out []string
	seen := map[*compInfo]bool{}
	add := func(s *compInfo) {
		if s.kind != graph.KindDataStore || seen[s] {
			return
		}
		if s.lw.first(browserStorageWords) != "" {
			seen[s] = true
			out = append(out, s.label)
		}
	}
	for _, fi := range ci.out {
		add(fi.dst)
	}
	for _, fi := range ci.in {
		add(fi.src)
	}
	return out
}

// openedFile is a flow that hands a browser-side component files to open
// (files, documents or an import from anyone), when the component does
// not send them on as an upload; nil otherwise.
func (ci *compInfo) openedFile() *flowInfo {
	for _, fi := range ci.out {
		if tagsOf(newWords(fi.f.Label), flowTags)[TagUpload] {
			return nil // it passes files on: an upload through the browser
		}
	}
	for _, fi := range ci.in {
		w := newWords(fi.f.Label)
		if tagsOf(w, flowTags)[TagUpload] || w.first(openWords) != "" && w.first(kw("file*", "document*", "json", "csv", "xml", "markdown", "image*", "model*")) != "" {
			return fi
		}
	}
	return nil
}

// clientAppFacts fills the Env fields of a component that runs
// application code in a browser (Env.ClientApp).
func (ci *compInfo) clientAppFacts(e *Env) {
	if ci.clientApp == "" {
		return
	}
	e.ClientApp, e.ClientAppWhy = true, ci.clientApp
	e.BrowserStores = joinNames(ci.browserStores())
	var files, code, services []string
	for _, fi := range ci.in {
		if fi.src.human() && !fi.src.client() {
			if ci.openedFileFrom(fi) {
				files = append(files, fi.label)
			}
			continue
		}
		if fi.src.kind != graph.KindDataStore {
			code = append(code, fi.src.label)
		}
	}
	for _, fi := range ci.out {
		if fi.dst.kind == graph.KindDataStore {
			continue
		}
		if fi.facts.Pull || fi.dst.tags[TagCDN] {
			code = append(code, fi.dst.label)
			continue
		}
		if fi.dst.kind == graph.KindProcess && !fi.dst.client() {
			services = append(services, fi.dst.label)
		}
	}
	e.OpensFiles = len(files) > 0 || ci.openedFile() != nil
	e.ScriptSources = joinNames(dedupe(code))
	e.AppServices = joinNames(dedupe(services))
}

// openedFileFrom reports whether flow fi into ci hands it files to open.
func (ci *compInfo) openedFileFrom(fi *flowInfo) bool {
	w := newWords(fi.f.Label)
	return tagsOf(w, flowTags)[TagUpload] || w.first(openWords) != ""
}

// dedupe keeps the first of each name, in order.
func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
