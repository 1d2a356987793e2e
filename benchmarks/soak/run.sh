#!/usr/bin/env bash
# The long soak: e2e-tests SoakIT with more rounds of faults (each round: PostgreSQL SIGKILLed and restarted, the broker
# killed and restarted, every service killed once, the broker frozen with SIGSTOP for 30 s) while label changes stream
# in. ./loupe test runs one round; this runs ROUNDS (default 5). Prints the test's counts and writes them, with the
# commit, the machine and the date, to results.txt beside this script.
# Needs: ./loupe build (or ./loupe test) done.
# Usage: benchmarks/soak/run.sh [rounds, default 5]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROUNDS="${1:-5}"
LOG="$HERE/soak.log"
"$ROOT/loupe" test -o -pl e2e-tests -Dit.test=SoakIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dloupe.soak.rounds="$ROUNDS" -Dloupe.soak.freeze-seconds=30 > "$LOG" 2>&1 || { grep -E "SoakIT|FAIL|expected" "$LOG" | head -40; exit 1; }
COMMIT="$(git -C "$ROOT" rev-parse HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!benchmarks' || echo ' + uncommitted changes')"
MACHINE="$(uname -sm), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $("$ROOT/loupe" jdk)"
{ printf '# measured code: git commit %s\n# machine: %s; date %s\n# command: benchmarks/soak/run.sh %s\n' "$COMMIT" \
    "$MACHINE" "$(date -u +%Y-%m-%d)" "$ROUNDS"
  grep -E "^SoakIT:|Tests run:.*SoakIT" "$LOG"; } > "$HERE/results.txt"
rm -f "$LOG"
cat "$HERE/results.txt"
