#!/usr/bin/env bash
# bench-peers.sh: threatmap against Threagile and pytm on the same generated
# systems (internal/gensys), whole process, CPU time (user + system, from
# /usr/bin/time), paired runs: every round runs each tool once on the same
# files, and the ratios printed are the median over rounds of the per-round
# ratios, so that a change of machine load between rounds cancels out.
#
#   THREAGILE=/tmp/threagile PYTM=/tmp/pytm scripts/bench-peers.sh
#
# THREAGILE is a threagile binary built from its source with Go (go build
# ./cmd/threagile); PYTM is a checkout of OWASP pytm (run with python3, its
# pydantic dependency installed). A peer that is not given is left out.
# SIZES (default "14 500") are component counts; ROUNDS (default 5);
# FORMAT (default drawio: the diagram keeps its own layout; mermaid or dot
# add the automatic layout to threatmap's SVG).
#
# Pairings (threatmap's outputs / the peer's):
#   json: threatmap --emit json / Threagile risks JSON only / pytm --json
#   all:  threatmap json,svg,xlsx,md / Threagile's JSON and Excel outputs
#         (risks, technical assets, stats, risks and tags workbooks; its
#         diagrams need a Graphviz `dot` binary, which threatmap never uses,
#         and its PDF and AsciiDoc reports embed them) / pytm --json and
#         --dfd (its data-flow diagram as DOT text). pytm's Markdown report
#         (--report, with PYTM_REPORT=1) is left out by default: on
#         2026-11-30 it ran 83 s of CPU and 0.9 GB on the 14-component
#         system without finishing, and failed with a RecursionError (in
#         copy.deepcopy) on the 500-component one.
# A peer run that fails or passes PEER_TIMEOUT seconds (default 600) is
# reported on stderr and left out of that pairing's figures.
set -euo pipefail

SIZES=${SIZES:-"14 500"}
ROUNDS=${ROUNDS:-5}
FORMAT=${FORMAT:-drawio}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x /usr/bin/time ] || { echo "bench-peers: needs /usr/bin/time (GNU time)" >&2; exit 1; }
(cd "$root" && go build -o "$work/threatmap" ./cmd/threatmap && go build -o "$work/gensys" ./internal/gensys/cmd/gensys)

have_threagile=
if [ -n "${THREAGILE:-}" ] && [ -x "$THREAGILE" ]; then have_threagile=1; else echo "Threagile: not given (THREAGILE=path to its binary); left out"; fi
have_pytm=
if [ -n "${PYTM:-}" ] && [ -f "$PYTM/pytm/__init__.py" ] && command -v python3 >/dev/null; then have_pytm=1; else echo "pytm: not given (PYTM=path to its source); left out"; fi

# cpu CMD...: runs CMD, prints its user+system CPU seconds, or "fail"
# (with the end of its output on stderr) when it fails or runs past
# PEER_TIMEOUT seconds (default 600).
cpu() {
  if ! timeout "${PEER_TIMEOUT:-600}" /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" >"$work/out.log" 2>&1; then
    echo "bench-peers: failed: $*" >&2
    tail -5 "$work/out.log" >&2
    echo fail
    return
  fi
  awk '{printf "%.3f %d\n", $1 + $2, $3}' "$work/time"
}

# median of the numbers on stdin.
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2}'; }

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')  load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-5s %10s %10s %10s %12s %10s\n' size what threatmap threagile pytm tm/threagile tm/pytm

for n in $SIZES; do
  dir="$work/s$n"
  "$work/gensys" -n "$n" -out "$dir" >/dev/null
  input="$dir/system.$([ "$FORMAT" = mermaid ] && echo mmd || echo "$FORMAT")"
  for what in json all; do
    : >"$work/tm" ; : >"$work/tg" ; : >"$work/py"; : >"$work/r_tg"; : >"$work/r_py"
    for ((i = 0; i < ROUNDS; i++)); do
      out="$work/o"; rm -rf "$out"; mkdir -p "$out"
      if [ "$what" = json ]; then
        t=$(cpu "$work/threatmap" analyze --emit json -o "$out/tm" "$input" | cut -d' ' -f1)
      else
        t=$(cpu "$work/threatmap" analyze --emit json,svg,xlsx,md -o "$out/tm" "$input" | cut -d' ' -f1)
      fi
      if [ "$t" = fail ]; then echo "bench-peers: threatmap failed" >&2; exit 1; fi
      echo "$t" >>"$work/tm"
      if [ -n "$have_threagile" ]; then
        skips=(--skip-data-flow-diagram --skip-data-asset-diagram --skip-report-pdf --skip-report-adoc)
        if [ "$what" = json ]; then
          skips+=(--skip-technical-assets-json --skip-stats-json --skip-risks-excel --skip-tags-excel)
        fi
        g=$(cpu "$THREAGILE" analyze-model --model "$dir/threagile.yaml" --output "$out/tg" "${skips[@]}" | cut -d' ' -f1)
        if [ "$g" != fail ]; then
          echo "$g" >>"$work/tg"
          awk -v a="$t" -v b="$g" 'BEGIN {printf "%.4f\n", a / b}' >>"$work/r_tg"
        fi
      fi
      if [ -n "$have_pytm" ]; then
        args=(--json "$out/pytm.json")
        if [ "$what" = all ]; then
          if [ -n "${PYTM_REPORT:-}" ]; then args+=(--report "$PYTM/docs/basic_template.md"); else args+=(--dfd); fi
        fi
        p=$(cd "$dir" && PYTHONPATH="$PYTM" cpu python3 pytm_model.py "${args[@]}" | cut -d' ' -f1)
        if [ "$p" != fail ]; then
          echo "$p" >>"$work/py"
          awk -v a="$t" -v b="$p" 'BEGIN {printf "%.4f\n", a / b}' >>"$work/r_py"
        fi
      fi
    done
    med() { if [ -s "$1" ]; then median <"$1"; else echo -; fi; }
    secs() { if [ -s "$1" ]; then echo "$(median <"$1")s"; else echo -; fi; }
    printf '%-6s %-5s %10s %10s %10s %12s %10s\n' "$n" "$what" "$(secs "$work/tm")" "$(secs "$work/tg")" "$(secs "$work/py")" "$(med "$work/r_tg")" "$(med "$work/r_py")"
  done
done
