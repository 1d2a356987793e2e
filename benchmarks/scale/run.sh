#!/usr/bin/env bash
# 3k, 10k, 30k and 100k images through the whole product on this machine (issue 15, part 3).
#
# For each size, on a fresh `./loupe up` (its own data directory, no demo project, the trainer not retraining every
# version), the script:
#   1. generates that many synthetic handwritten-style numerals (platform/synthetic GenerateDemo, cached),
#   2. imports them as one zip and times: the import, every image embedded, the map, the findings, the split with
#      every item, a published version, its export (imagefolder zip);
#   3. with REF=1, imports the same images by reference from an S3 bucket (a real s3proxy the script starts, with its
#      filesystem backend) into a second project and times that import;
#   4. times every REST read the web page makes (each READS times, sequentially): p50, p95, max;
#   5. with PLAYWRIGHT_DIR (a folder with node_modules/playwright-core, e.g. e2e-tests/target/web-node after WebPageIT),
#      measures the web page on the real project in headless Chromium (page.mjs: the map's draw, a lasso over 10k
#      points or all of them, grid pages);
#   6. reads each service's peak resident memory (VmHWM) and stops the stack.
# Writes results.json (the numbers, the command, the git commit, the machine and the date) and prints a table.
#
#   benchmarks/scale/run.sh                        # sizes 3000 10000 30000 100000
#   SIZES="3000 10000" benchmarks/scale/run.sh out.json
#   SIZES=100000 benchmarks/scale/run.sh reads    # the reads (step 4) again, on the data a full run left in
#                                                  # SCALE_WORK/data-N, with the code checked out now: replaces that
#                                                  # size's reads in results.json and records the commit and date
# Needs: ./loupe build done (the script builds nothing), jq, curl; REF=1 also the s3proxy jar in ~/.m2
# (mvn dependency:get -Dartifact=org.gaul:s3proxy:2.6.0:jar:jar-with-dependencies).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODE=full
if [[ "${1:-}" == reads ]]; then MODE=reads; shift; fi
OUT="${1:-$ROOT/benchmarks/scale/results.json}"
SIZES="${SIZES:-3000 10000 30000 100000}"
READS="${READS:-40}"
REF="${REF:-0}"
WORK="${SCALE_WORK:-$ROOT/target/scale-bench}"
JAVA_HOME="$("$ROOT/loupe" jdk)"
L=http://localhost:8081 E=http://localhost:8082 A=http://localhost:8083 D=http://localhost:8084
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }
[[ -f "$ROOT/label-service/target/quarkus-app/quarkus-run.jar" ]] || { echo "run ./loupe build first" >&2; exit 1; }
if curl -fsS -o /dev/null --max-time 2 "$L/q/health/ready" 2>/dev/null; then
  echo "a Loupe already answers at $L: stop it first (this script starts its own, one per size)" >&2; exit 1
fi
mkdir -p "$WORK"
# shellcheck source=../lib/auth.sh
source "$ROOT/benchmarks/lib/auth.sh"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
api() { curl -fsS -H "$AUTH" "$@"; }
post() { local url="$1"; shift; api -H 'Content-Type: application/json' -d "$1" "$url"; }
now_ms() { date +%s%3N; }
CLASSES='["i","ii","iii","iv","v","vi","vii","viii","ix","x"]'

STACK_PID=""
stop_stack() {
  if [[ -n "$STACK_PID" ]] && kill -0 "$STACK_PID" 2>/dev/null; then
    kill -TERM "$STACK_PID"; wait "$STACK_PID" 2>/dev/null || true
  fi
  STACK_PID=""
}
S3_PID=""
stop_s3() { if [[ -n "$S3_PID" ]]; then kill "$S3_PID" 2>/dev/null || true; wait "$S3_PID" 2>/dev/null || true; S3_PID=""; fi; }
trap 'stop_stack; stop_s3' EXIT

start_stack() { # data dir, extra env... (a fresh data dir, or with KEEP_DATA=1 the one a full run left)
  local data="$1"; shift
  [[ "${KEEP_DATA:-0}" == 1 ]] || { rm -rf "$data"; mkdir -p "$data"; }
  touch "$data/.built" # built already (checked above): ./loupe up must not rebuild in the middle of a benchmark
  ( cd "$ROOT" && exec env LOUPE_DATA_DIR="$data" LOUPE_DEMO=false LOUPE_TRAINER_AUTO=false \
      LOUPE_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$@" ./loupe up ) > "$data/up.log" 2>&1 &
  STACK_PID=$!
  local deadline=$((SECONDS + 600))
  until grep -q "Loupe is up" "$data/up.log" 2>/dev/null; do
    kill -0 "$STACK_PID" 2>/dev/null || { tail -30 "$data/up.log" >&2; exit 1; }
    (( SECONDS < deadline )) || { echo "the stack did not start in 600 s" >&2; exit 1; }
    sleep 2
  done
}

peak_rss_mb() { # service folder or "devstack" -> VmHWM of its JVM in MB
  local pattern="$1/target/quarkus-app/quarkus-run.jar" pid
  [[ "$1" == devstack ]] && pattern="platform/devstack/target/loupe-devstack.jar"
  pid="$(pgrep -f "$ROOT/$pattern" | head -1)"
  [[ -n "$pid" ]] || { echo null; return; }
  awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$pid/status"
}

read_times() { # name url -> JSON {name, p50, p95, max, bytes} in ms over READS sequential requests (gzip accepted,
  # as a browser does: bytes are what went over the wire)
  local name="$1" url="$2" i t times=() bytes
  api -o /dev/null "$url" # warm (and fail loudly if the read does not work)
  for ((i = 0; i < READS; i++)); do
    t="$(curl -fsS --compressed -o /dev/null -w '%{time_total} %{size_download}' -H "$AUTH" "$url")"
    times+=("${t% *}"); bytes="${t#* }"
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" -v b="$bytes" -v u="$url" '
    { v[NR] = $1 * 1000 }
    END { p50 = v[int((NR + 1) * 0.50)]; p95 = v[int(NR * 0.95 + 0.5)];
          printf "{\"read\":\"%s\",\"p50\":%.1f,\"p95\":%.1f,\"max\":%.1f,\"bytes\":%d,\"url\":\"%s\"}\n", n, p50, p95, v[NR], b, u }'
}

stack_cpu_ticks() { # CPU time (1/100 s) the stack's JVMs have used so far
  local pid ticks=0
  for pid in $(pgrep -f "$ROOT/.*(quarkus-run|loupe-devstack)\.jar"); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$ticks"
}

wait_quiet() { # until the stack uses under 0.4 core over 10 s (idle, its six JVMs use about 0.15), at most 15 min
  local deadline=$((SECONDS + 900)) before after
  while ((SECONDS < deadline)); do
    before="$(stack_cpu_ticks)"; sleep 10; after="$(stack_cpu_ticks)"
    ((after - before < 400)) && return 0
  done
  log "the stack was still busy after 15 min: measuring anyway"
}

measure_reads() { # project -> JSON array: every REST read the web page makes, timed (read_times) once the
  # slow first reads are warm and background work is done
  local P="$1" item ids name url reads=()
  api -o /dev/null "$E/api/projects/$P/map"; api -o /dev/null "$E/api/projects/$P/review-queue"
  wait_quiet
  item="$(api "$L/api/projects/$P/items?size=1&page=3" | jq -r '.items[0].id')"
  ids="$(api "$L/api/projects/$P/items?size=100&page=7" | jq -r '[.items[].id] | join(",")')"
  while IFS='|' read -r name url; do
    reads+=("$(read_times "$name" "$url")")
  done <<EOF
projects|$L/api/projects
grid page|$L/api/projects/$P/items?size=100&page=0
grid page, filtered|$L/api/projects/$P/items?label=vii&split=val&size=100&page=2
grid page by ids|$L/api/projects/$P/items?ids=$ids&size=100
excluded count|$L/api/projects/$P/items?size=1&page=0&excluded=true
item|$L/api/items/$item
item history|$L/api/items/$item/history
thumbnail|$L/api/items/$item/image?size=96
imports|$L/api/projects/$P/imports
embedding status|$E/api/projects/$P/embeddings/status
map|$E/api/projects/$P/map
findings|$E/api/projects/$P/findings?limit=5000
neighbours|$E/api/items/$item/neighbors?k=8
review queue|$E/api/projects/$P/review-queue
split|$D/api/projects/$P/split
split config|$D/api/projects/$P/split/config
split items page|$D/api/projects/$P/split/items?size=10000&page=0
versions|$D/api/projects/$P/versions
augmentations|$A/api/projects/$P/augmentations
EOF
  printf '%s\n' "${reads[@]}" | jq -s .
}

upload_to_s3proxy() { # zip -> fills the s3proxy filesystem backend's bucket folder with the zip's ImageFolder tree
  local zip="$1" base="$2"
  rm -rf "$base"; mkdir -p "$base/loupe-source/scale"
  (cd "$base/loupe-source/scale" && unzip -q "$zip")
}

uncommitted() { # tracked files that differ from the commit the results name
  git -C "$ROOT" status --porcelain --untracked-files=no | wc -l
}

write_results() { # the runs so far (written after each size, so an interrupted run keeps what it measured)
  jq -n --arg date "$(date -u +%FT%TZ)" --arg commit "$(git -C "$ROOT" rev-parse HEAD)" --arg dirty "$(uncommitted)" \
    --arg machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -m)" \
    --arg command "SIZES=\"$SIZES\" READS=$READS REF=$REF${PLAYWRIGHT_DIR:+ PLAYWRIGHT_DIR=$PLAYWRIGHT_DIR} benchmarks/scale/run.sh" \
    --argjson runs "$(printf '%s\n' "${results[@]}" | jq -s .)" \
    '{date: $date, commit: $commit, uncommittedFiles: ($dirty | tonumber), machine: $machine, command: $command, runs: $runs}' > "$OUT"
}

if [[ "$MODE" == reads ]]; then
  [[ -f "$OUT" ]] || { echo "reads mode replaces reads in $OUT: run the full benchmark first" >&2; exit 1; }
  for n in $SIZES; do
    data="$WORK/data-$n"
    [[ -f "$data/admin-password" ]] || { echo "no $data/admin-password: reads mode needs the data of a full run" >&2; exit 1; }
    jq -e --argjson n "$n" 'any(.runs[]; .size == $n)' "$OUT" >/dev/null || { echo "no size $n in $OUT" >&2; exit 1; }
    log "n=$n: starting the stack on the data the full run left"
    ADMIN_PASSWORD="$(cat "$data/admin-password")"
    KEEP_DATA=1 start_stack "$data"
    LOUPE_ADMIN_PASSWORD="$ADMIN_PASSWORD" LOUPE_TOKEN="" bench_token "$L"
    P="$(api "$L/api/projects" | jq -r --arg name "scale-$n" '[.[] | select(.name == $name)][0].id')"
    reads="$(measure_reads "$P")"
    jq --argjson n "$n" --argjson reads "$reads" --arg commit "$(git -C "$ROOT" rev-parse HEAD)" \
      --arg date "$(date -u +%FT%TZ)" --arg dirty "$(uncommitted)" \
      '.runs |= map(if .size == $n then .reads = $reads
        | .readsRemeasured = {commit: $commit, uncommittedFiles: ($dirty | tonumber), date: $date,
            command: "SIZES=\($n) benchmarks/scale/run.sh reads"} else . end)' "$OUT" > "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
    log "n=$n: reads $(jq -c '[.[] | {read, p95}]' <<<"$reads")"
    stop_stack
  done
  exit 0
fi

ADMIN_PASSWORD="scale-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
results=()
for n in $SIZES; do
  per_class=$((n / 10))
  zip="$WORK/synthetic-$n.zip"
  if [[ ! -f "$zip" ]]; then
    log "generating $n synthetic numerals"
    "$JAVA_HOME/bin/java" -cp "$ROOT/platform/synthetic/target/loupe-synthetic-0.1.0-SNAPSHOT.jar" \
      dev.loupe.synthetic.GenerateDemo --out "$zip.tmp" --per-class "$per_class" --seed 15 >&2
    mv "$zip.tmp" "$zip"
  fi
  ref_env=()
  if [[ "$REF" == 1 ]]; then
    s3jar="$HOME/.m2/repository/org/gaul/s3proxy/2.6.0/s3proxy-2.6.0-jar-with-dependencies.jar"
    [[ -f "$s3jar" ]] || { echo "REF=1 needs $s3jar" >&2; exit 1; }
    upload_to_s3proxy "$zip" "$WORK/s3"
    cat > "$WORK/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:18333
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=scale
s3proxy.credential=scale-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3
EOF
    "$JAVA_HOME/bin/java" -jar "$s3jar" --properties "$WORK/s3proxy.properties" > "$WORK/s3proxy.log" 2>&1 &
    S3_PID=$!
    ref_env=(LOUPE_IMPORTS_S3_ENDPOINT=http://127.0.0.1:18333 LOUPE_IMPORTS_S3_ACCESS_KEY=scale
      LOUPE_IMPORTS_S3_SECRET_KEY=scale-secret LOUPE_IMPORTS_S3_BUCKETS=loupe-source)
  fi
  log "n=$n: starting a fresh stack"
  start_stack "$WORK/data-$n" ${ref_env[@]+"${ref_env[@]}"}
  (umask 077 && printf '%s' "$ADMIN_PASSWORD" > "$WORK/data-$n/admin-password") # for the reads mode, later
  LOUPE_ADMIN_PASSWORD="$ADMIN_PASSWORD" LOUPE_TOKEN="" bench_token "$L"

  P="$(post "$L/api/projects" "{\"name\":\"scale-$n\",\"classes\":$CLASSES}" | jq -r .id)"
  t0="$(now_ms)"
  J="$(api -F "file=@$zip" "$L/api/projects/$P/imports" | jq -r .importId)"
  until [[ "$(api "$L/api/imports/$J" | jq -r .status)" != RUNNING ]]; do sleep 1; done
  t_import="$(now_ms)"
  job="$(api "$L/api/imports/$J")"
  imported="$(jq .imported <<<"$job")"
  [[ "$(jq -r .status <<<"$job")" == COMPLETED ]] || { log "import ended $(jq -c . <<<"$job")"; exit 1; }
  log "n=$n: imported $imported in $(( (t_import - t0) / 1000 )) s"
  until api "$E/api/projects/$P/embeddings/status" | jq -e '.pending == 0 and .embedded + .failed == .items and .items > 0' >/dev/null; do sleep 2; done
  t_embedded="$(now_ms)"
  log "n=$n: embedded after $(( (t_embedded - t0) / 1000 )) s"
  points="$(api "$E/api/projects/$P/map" | jq '.itemIds | length')"
  t_map="$(now_ms)"
  findings="$(api "$E/api/projects/$P/findings?limit=5000" | jq '.findings | length')"
  t_findings="$(now_ms)"
  items_total="$(api "$E/api/projects/$P/embeddings/status" | jq .items)"
  until api "$D/api/projects/$P/split" | jq -e --argjson n "$items_total" \
      '([.counts[]?[]?] | add // 0) == $n' >/dev/null; do sleep 2; done
  t_split="$(now_ms)"
  V="$(post "$D/api/projects/$P/versions" '{"name":"scale","note":"benchmarks/scale"}' | jq -r .versionId)"
  t_version="$(now_ms)"
  export_bytes="$(curl -fsS -o /dev/null -w '%{size_download}' -H "$AUTH" "$D/api/versions/$V/export?format=imagefolder")"
  t_export="$(now_ms)"
  log "n=$n: map $points points, $findings findings, split, version $V, export $export_bytes bytes"

  reads="$(measure_reads "$P")"
  page=null
  if [[ -n "${PLAYWRIGHT_DIR:-}" ]]; then
    page="$(PLAYWRIGHT_DIR="$PLAYWRIGHT_DIR" LOUPE_ADMIN_PASSWORD="$ADMIN_PASSWORD" LOUPE_LASSO_POINTS=$((n < 10000 ? n / 2 : 10000)) \
      node "$ROOT/benchmarks/scale/page.mjs" "$P" | jq -c .)" || page='"failed (see the log)"'
    [[ -n "$page" ]] || page=null
    log "n=$n: page $page"
  fi
  # ("label" is a jq keyword: quoted keys, other variable names)
  rss="$(jq -n --argjson l "$(peak_rss_mb label-service)" --argjson e "$(peak_rss_mb embedding-service)" \
    --argjson a "$(peak_rss_mb augment-service)" --argjson d "$(peak_rss_mb dataset-service)" \
    --argjson t "$(peak_rss_mb trainer-service)" --argjson s "$(peak_rss_mb devstack)" \
    '{"label": $l, "embedding": $e, "augment": $a, "dataset": $d, "trainer": $t, "broker+database": $s}')"
  # last (its project's embedding would run under the reads above): the same images by reference from the bucket;
  # a failure is recorded, not fatal, so the rest of the run is kept
  ref_ms=null ref_job=null
  if [[ "$REF" == 1 ]]; then
    R="$(post "$L/api/projects" "{\"name\":\"scale-$n-by-reference\",\"classes\":$CLASSES}" | jq -r .id)"
    r0="$(now_ms)"
    if ! RJ="$(post "$L/api/projects/$R/imports" '{"source":"s3://loupe-source/scale/"}' | jq -r .importId)"; then
      ref_job='"refused"'; RJ=""
    fi
    [[ -z "$RJ" ]] || until [[ "$(api "$L/api/imports/$RJ" | jq -r .status)" != RUNNING ]]; do sleep 1; done
    [[ -n "$RJ" ]] && ref_ms=$(( $(now_ms) - r0 )) && ref_job="$(api "$L/api/imports/$RJ" | jq -c '{status, imported, skipped, failed: (.failed | length), firstFailures: (.failed[:3]), error}')"
    log "n=$n: by-reference import $ref_job in $((ref_ms / 1000)) s"
  fi

  results+=("$(jq -n --argjson n "$n" --argjson imported "$imported" --argjson points "$points" --argjson findings "$findings" \
    --argjson imp "$((t_import - t0))" --argjson embedded "$((t_embedded - t0))" --argjson map "$((t_map - t_embedded))" \
    --argjson findingsMs "$((t_findings - t_map))" --argjson split "$((t_split - t0))" --argjson version "$((t_version - t_split))" \
    --argjson exp "$((t_export - t_version))" --argjson exportBytes "$export_bytes" --argjson ref "$ref_ms" --argjson refJob "$ref_job" \
    --argjson rss "$rss" --argjson page "$page" --argjson reads "$reads" '{
      size: $n, imported: $imported, mapPoints: $points, findings: $findings,
      ms: {importZip: $imp, importAndEmbedding: $embedded, mapAfterEmbedding: $map, findingsAfterMap: $findingsMs,
           splitWithEveryItem: $split, publishVersion: $version, exportImagefolder: $exp, importByReference: $ref},
      exportBytes: $exportBytes, peakRssMb: $rss, reads: $reads, page: $page, importByReference: $refJob}')")
  log "n=$n: $(jq -c '.ms' <<<"${results[-1]}")"
  write_results
  stop_stack
  stop_s3
done

jq -r '.runs[] | "n=\(.size): import \(.ms.importZip / 1000 | floor) s, import+embedding \(.ms.importAndEmbedding / 1000 | floor) s, map \(.ms.mapAfterEmbedding) ms, findings \(.ms.findingsAfterMap) ms, split \(.ms.splitWithEveryItem / 1000 | floor) s, version \(.ms.publishVersion) ms, export \(.ms.exportImagefolder) ms; worst read p95 \([.reads[].p95] | max) ms; peak RSS \(.peakRssMb)"' "$OUT"
echo "results: $OUT"
