# threatmap build and test entry points. `make test` is what CI runs.
GO       ?= go
PKGS     := ./...
FUZZTIME ?= 10000x
# STATICCHECK is pinned: a new release can add checks that fail the build.
# `go run` fetches it through the Go module proxy and caches the build.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all build test vet staticcheck unit fuzz-smoke example clean

all: build

# CGO_ENABLED=0: a static binary; with cgo every runtime thread holds an
# 8 MB C stack that counts against a memory limit (see README, Install).
# urfave_cli_no_docs leaves out urfave/cli's Markdown and man page
# generators, which threatmap does not use, and with them blackfriday's
# package initialisation (docs/performance.md, session 6 BOOT).
build:
	CGO_ENABLED=0 $(GO) build -tags urfave_cli_no_docs -o bin/threatmap ./cmd/threatmap

## test: vet, staticcheck, the whole suite under the race detector, then a short run of every fuzz target.
test: vet staticcheck unit fuzz-smoke

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)

# third_party/ holds upstream code kept as upstream wrote it (see its NOTES.md): not linted.
staticcheck:
	$(GO) run $(STATICCHECK) $$($(GO) list $(PKGS) | grep -v /third_party/)

unit:
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

## fuzz-smoke: every Fuzz target for $(FUZZTIME) executions (go test runs one target per call).
## A count, not a duration: Go 1.26 can fail a duration-bounded run with a
## spurious "context deadline exceeded" at the deadline (golang/go#75804).
## No minimisation (-fuzzminimizetime 0): on an empty fuzz cache (every CI
## run) the fuzzer finds new coverage at once and minimised each such input
## with up to 200 more runs of it; a mutated telehealth example costs a
## whole pipeline run, so FuzzPipeline spent minutes minimising inputs of a
## cache that CI throws away (310 s cold against 48 s warm). A crasher is
## still written to testdata/fuzz as found.
fuzz-smoke:
	@set -e; log=$$(mktemp); trap 'rm -f $$log' EXIT; for pkg in $$($(GO) list $(PKGS)); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 0 $$pkg >$$log 2>&1 || { cat $$log; exit 1; }; \
	    tail -n 1 $$log; \
	  done; \
	done

## bench: every benchmark with allocation figures.
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

## example: the main job on the bundled example.
example: build
	./bin/threatmap inspect examples/telehealth.dot

clean:
	rm -rf bin out
