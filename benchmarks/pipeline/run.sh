#!/usr/bin/env bash
# The pipeline benchmark: latency from a label change to a split that includes it (p50/p95 over 500 sequential
# changes) and the throughput of label changes through label -> Kafka -> dataset service, on the packaged services
# as separate processes, against the peer measured in the same run: the same changes' events arriving on the broker.
# Needs: ./loupe build (or ./loupe test) done. Writes results.txt beside this script.
# Usage: benchmarks/pipeline/run.sh [number of changes, default 500]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CHANGES="${1:-500}"
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
[[ -f "$LD_PRELOAD" ]] || unset LD_PRELOAD MALLOC_CONF
"$ROOT/loupe" test -o -q -pl e2e-tests -Dloupe.excludedGroups=none -Dit.test=PipelineLatencyBenchmarkIT \
  -Dloupe.bench.changes="$CHANGES" -Dloupe.bench.results="$HERE/results.txt" >/dev/null
# the measured code and machine, so the numbers can be traced (the benchmark itself knows neither)
COMMIT="$(git -C "$ROOT" rev-parse HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!benchmarks' || echo ' + uncommitted changes')"
MACHINE="$(uname -sm), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $("$ROOT/loupe" jdk)"
{ printf '# measured code: git commit %s\n# machine: %s; date %s\n' "$COMMIT" "$MACHINE" "$(date -u +%Y-%m-%d)"; cat "$HERE/results.txt"; } > "$HERE/results.tmp"
mv "$HERE/results.tmp" "$HERE/results.txt"
cat "$HERE/results.txt"
