#!/usr/bin/env bash
# The pipeline benchmark (e2e-tests PipelineBenchmarkIT): all five packaged services as processes on one embedded
# broker and database, the real DCAI project. Measures, in one run: the floors (a bare Kafka producer -> consumer
# round trip on the same broker, a bare PostgreSQL update-and-commit loop on the same database); the throughput of
# label changes in bulk requests until the refreshed split and the embedding service hold them all; a single
# relabel's time into the split and the web page's reads while 1,000 changes/s stream in the background.
# Prints Loupe's numbers as ratios to the floors. Writes results.txt beside this script, with the commit, the machine
# and the date.
# The services run with the full JIT, as in production (-Dloupe.services.full-jit=true; tests start them C1-only).
# Needs: ./loupe build (or ./loupe test) done, and the DCAI set beside the repository.
# Usage: benchmarks/pipeline/run.sh [changes, default 100000] [bulk size, default 500]
#   CLIENTS (default 2) concurrent bulk clients; SINGLES (default 300) single relabels under load;
#   BACKGROUND (default 1000) background changes per second during the latency part;
#   CPU=1 also samples each process's CPU time into cpu.log (benchmarks/pipeline/cpu.py rates cpu.log)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CHANGES="${1:-100000}"
BULK="${2:-500}"
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
[[ -f "$LD_PRELOAD" ]] || unset LD_PRELOAD MALLOC_CONF
OUT="$HERE/results.tmp"
if [[ "${CPU:-0}" == 1 ]]; then
  # each process's CPU every 2 s, for "where the time goes" (cpu.py rates cpu.log prints it per interval)
  python3 "$HERE/cpu.py" sample "$HERE/cpu.log" 3600 &
  SAMPLER=$!
  trap 'kill $SAMPLER 2>/dev/null || true' EXIT
fi
"$ROOT/loupe" test -o -q -pl e2e-tests -Dloupe.excludedGroups=none -Dit.test=PipelineBenchmarkIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dloupe.require-dcai=true -Dloupe.services.full-jit=true \
  -Dloupe.bench.changes="$CHANGES" -Dloupe.bench.bulk="$BULK" -Dloupe.bench.clients="${CLIENTS:-2}" \
  -Dloupe.bench.singles="${SINGLES:-300}" -Dloupe.bench.background="${BACKGROUND:-1000}" \
  -Dloupe.bench.results="$OUT" >/dev/null
# the measured code and machine, so the numbers can be traced (the benchmark itself knows neither)
COMMIT="$(git -C "$ROOT" rev-parse HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!benchmarks' || echo ' + uncommitted changes')"
MACHINE="$(uname -sm), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $("$ROOT/loupe" jdk)"
COMMAND="benchmarks/pipeline/run.sh $CHANGES $BULK (CLIENTS=${CLIENTS:-2} SINGLES=${SINGLES:-300} BACKGROUND=${BACKGROUND:-1000})"
{ printf '# measured code: git commit %s\n# machine: %s; date %s\n# command: %s\n' "$COMMIT" "$MACHINE" \
    "$(date -u +%Y-%m-%d)" "$COMMAND"; cat "$OUT"; } > "$HERE/results.txt"
rm -f "$OUT"
cat "$HERE/results.txt"
