#!/usr/bin/env bash
# The curation loop on the real DCAI 2021 set, measured through Loupe's own services (issue 14, part 6).
#
#   v0 "as-imported"  the set's train/ and val/ as provided (split kept as imported); its validation side is then
#                     frozen, so every later version is scored on the same 764 validation images (and on the label
#                     book, the configured test folder)
#   v1 "reviewed"     a scripted reviewer works through the review queue and accepts only high-confidence label
#                     suggestions (score >= REVIEW_MIN); the rest it leaves, as a person short of time would
#   v2 "plan"         Loupe's curation plan from v1's evaluation, applied (auto-accepted relabels, exclusions,
#                     augmentation towards the 10,000-image budget)
#   v3.. "run"        an automatic curation run of ROUNDS rounds from there, without people
# Every version is evaluated with REPEATS seeds x EPOCHS epochs; each is compared with v0 (paired by seed).
#
# Start Loupe first, on an empty data directory, with the label book as the configured test folder:
#   LOUPE_DEMO=false LOUPE_TRAINER_AUTO=false LOUPE_TRAINER_THREADS=2 \
#   LOUPE_TRAINER_TEST_FOLDER=$PWD/../shared/datasets/dcai-roman-2021/label_book ./loupe up
# (LOUPE_TRAINER_AUTO=false: only the evaluations this script asks for train, not one more per published version)
# then: LOUPE_ADMIN_PASSWORD=<printed by ./loupe up> benchmarks/curation/loop.sh [results file]
# Settings (environment): EPOCHS (30), REPEATS (2), SEED (123), REVIEW_MIN (0.9), BUDGET (10000), ROUNDS (2),
# SECONDS_PER_DECISION (5: the review time estimate per decision a person makes; skipped items count 2 s);
# RESUME=1 continues the project recorded in the results file from the plan on (after an interruption).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${LOUPE_DCAI_DIR:-$ROOT/../shared/datasets/dcai-roman-2021}"
OUT="${1:-$ROOT/benchmarks/curation/results.json}"
L="${LOUPE_LABEL_URL:-http://localhost:8081}"
E="${LOUPE_EMBEDDING_URL:-http://localhost:8082}"
D="${LOUPE_DATASET_URL:-http://localhost:8084}"
EPOCHS="${EPOCHS:-30}" REPEATS="${REPEATS:-2}" SEED="${SEED:-123}" REVIEW_MIN="${REVIEW_MIN:-0.9}"
BUDGET="${BUDGET:-10000}" ROUNDS="${ROUNDS:-2}" SECONDS_PER_DECISION="${SECONDS_PER_DECISION:-5}"
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }
[[ -d "$DATA/train" && -d "$DATA/val" && -d "$DATA/label_book" ]] || { echo "no DCAI set at $DATA (LOUPE_DCAI_DIR)" >&2; exit 1; }
# shellcheck source=../lib/auth.sh
source "$ROOT/benchmarks/lib/auth.sh"
bench_token "$L"
api() { curl -fsS -H "$AUTH" "$@"; }
post() { local url="$1"; shift; api -H 'Content-Type: application/json' -d "$1" "$url"; }
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
started=$SECONDS

# --- import -------------------------------------------------------------------------------------------------------
etag() { curl -fsS -D - -o /dev/null -H "$AUTH" "$1" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'; }
put_split() { api -o /dev/null -X PUT -H 'Content-Type: application/json' -H "If-Match: $(etag "$D/api/projects/$P/split/config")" \
  -d "$1" "$D/api/projects/$P/split/config"; }
settle() { # until the split stops changing (duplicates found, styles known, changes applied)
  local last="" now stable=0
  while (( stable < 3 )); do
    now="$(api "$D/api/projects/$P/split" | jq -c '[.splitVersion, ([.counts.train[]?] | add), ([.counts.val[]?] | add)]')"
    if [[ "$now" == "$last" ]]; then stable=$((stable + 1)); else stable=0; fi
    last="$now"; sleep 5
  done
  log "split [version, train, val]: $last"
}
import_set() {
  zip="$(mktemp -d)/dcai-train-val.zip"
  (cd "$DATA" && find train val -type f | sort | zip -q -@ "$zip")
  P="$(post "$L/api/projects" "{\"name\":\"dcai-2021-curation-$(date +%Y%m%d-%H%M%S)\",\"classes\":[\"i\",\"ii\",\"iii\",\"iv\",\"v\",\"vi\",\"vii\",\"viii\",\"ix\",\"x\"]}" | jq -r .id)"
  J="$(api -F "file=@$zip" "$L/api/projects/$P/imports" | jq -r .importId)"
  log "project $P, import $J"
  until [[ "$(api "$L/api/imports/$J" | jq -r .status)" != RUNNING ]]; do sleep 2; done
  rm -f "$zip"
  put_split '{"strategy":"keep-original","valFraction":0.2,"seed":1}'
  until api "$E/api/projects/$P/embeddings/status" | jq -e '.embedded + .failed == 2880' >/dev/null; do sleep 2; done
  settle
}

# --- versions and their evaluations --------------------------------------------------------------------------------
version() { post "$D/api/projects/$P/versions" "{\"name\":\"$1\",\"note\":\"$2\"}" | jq -r .versionId; }
evaluate() { # version -> evaluation id (repeats seeds, the label book as test folder)
  post "$D/api/versions/$1/evaluations" "{\"epochs\":$EPOCHS,\"seed\":$SEED,\"repeats\":$REPEATS}" | jq -r .id
}
await_evaluation() { # version evaluation -> prints the evaluation as listed
  local ev status
  while true; do
    ev="$(api "$D/api/versions/$1/evaluations" | jq -c --arg id "$2" '.[] | select(.id == $id)')"
    status="$(jq -r .status <<<"$ev")"
    [[ "$status" == COMPLETED || "$status" == FAILED || "$status" == CANCELLED ]] && break
    sleep 15
  done
  [[ "$status" == COMPLETED ]] || { log "evaluation $2 of $1 ended $status: $(jq -r .error <<<"$ev")"; exit 1; }
  printf '%s' "$ev"
}
RESULTS="[]"
record() { # name version evaluation-json extra-json
  local items
  items="$(api "$D/api/versions/$2" | jq -c '{train: .counts.train, val: .counts.val} // {}' 2>/dev/null || echo '{}')"
  RESULTS="$(jq -c --arg name "$1" --arg v "$2" --argjson ev "$3" --argjson items "$items" --argjson extra "$4" \
    '. + [{name: $name, versionId: $v, items: $items, evaluationId: $ev.id, summary: $ev.summary} + $extra]' <<<"$RESULTS")"
  jq -c --arg name "$1" '{name: $name, val: .summary.valAccuracy, test: .summary.testAccuracy}' <<<"$3" >&2
}

write_results() { # everything measured so far, with each version compared with v0 (paired by seed)
  local compare="[]" v commit machine
  for v in $(jq -r '.[1:][] | .versionId' <<<"$RESULTS"); do
    compare="$(jq -c --argjson c "$(api "$D/api/versions/$v/compare?against=$V0")" '. + [$c]' <<<"$compare")"
  done
  commit="$(git -C "$ROOT" rev-parse HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!benchmarks' || echo ' + uncommitted changes')"
  machine="$(uname -sm), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB"
  jq -n --arg cmd "$0" --arg commit "$commit" --arg machine "$machine" --arg date "$(date -u +%Y-%m-%d)" \
    --argjson epochs "$EPOCHS" --argjson repeats "$REPEATS" --argjson seed "$SEED" --argjson minScore "$REVIEW_MIN" \
    --argjson budget "$BUDGET" --argjson rounds "$ROUNDS" --argjson versions "$RESULTS" --argjson compare "$compare" \
    --argjson seconds $((SECONDS - started)) \
    --arg project "$P" \
    '{command: $cmd, commit: $commit, machine: $machine, date: $date, projectId: $project, epochs: $epochs, repeats: $repeats, seed: $seed,
      minConfidence: $minScore, budget: $budget, rounds: $rounds, seconds: $seconds, versions: $versions,
      againstAsImported: $compare}' > "$OUT"
}

# --- v0 as imported, v1 after the scripted reviewer ----------------------------------------------------------------
first_versions() {
  V0="$(version as-imported 'DCAI 2021 train/val as provided')"
  put_split "{\"strategy\":\"keep-original\",\"valFraction\":0.2,\"seed\":1,\"frozenValVersion\":\"$V0\"}"
  EV0="$(evaluate "$V0")"; log "v0 $V0: evaluation $EV0 queued"

  # v1: the scripted reviewer
  review_started=$SECONDS; accepted=0; skipped=0; cursor=""; last_item=""; last_version=""
  while true; do
    page="$(api "$E/api/projects/$P/review-queue?limit=100${cursor:+&cursor=$cursor}")"
    while IFS=$'\t' read -r item ver sug score; do
      if [[ "$sug" != null && -n "$sug" ]] && awk -v s="$score" -v m="$REVIEW_MIN" 'BEGIN { exit !(s >= m) }'; then
        post "$E/api/projects/$P/reviews" "{\"itemId\":\"$item\",\"version\":$ver,\"decision\":\"ACCEPT\"}" >/dev/null
        accepted=$((accepted + 1)); last_item="$item"; last_version=$((ver + 1))
      else
        skipped=$((skipped + 1))
      fi
    done < <(jq -r '.items[] | [.itemId, .version, (.suggestedLabel // "null"),
        ([.reasons[] | select(.kind == "LABEL_ISSUE") | .score] | max // 0)] | @tsv' <<<"$page")
    cursor="$(jq -r '.nextCursor // empty' <<<"$page")"
    [[ -n "$cursor" ]] || break
  done
  review_seconds=$((SECONDS - review_started))
  progress="$(api "$E/api/projects/$P/review-queue?limit=1" | jq -c .progress)"
  log "reviewer: $accepted accepted, $skipped left; progress $progress"
  settle
  V1="$(version reviewed "scripted reviewer: label suggestions with score >= $REVIEW_MIN accepted")"
  EV1="$(evaluate "$V1")"; log "v1 $V1: evaluation $EV1 queued"
  record as-imported "$V0" "$(await_evaluation "$V0" "$EV0")" '{}'
  record reviewed "$V1" "$(await_evaluation "$V1" "$EV1")" "$(jq -n --argjson a "$accepted" --argjson s "$skipped" \
    --argjson secs "$review_seconds" --argjson spd "$SECONDS_PER_DECISION" --argjson progress "$progress" \
    '{reviewer: {accepted: $a, lookedAtAndLeft: $s, scriptSeconds: $secs, progress: $progress,
      estimatedPersonMinutes: ((($a * $spd) + ($s * 2)) / 60 | floor)}}')"
  write_results
}

# --- resuming: RESUME=1 continues the run recorded in the results file (its project and versions), from the plan on
# (a plan of the project already APPLIED or APPLYING is taken as it is, not made again)
if [[ -n "${RESUME:-}" ]]; then
  [[ -f "$OUT" ]] || { echo "RESUME: no results file $OUT" >&2; exit 1; }
  P="$(jq -r .projectId "$OUT")"; RESULTS="$(jq -c .versions "$OUT")"; V0="$(jq -r '.versions[0].versionId' "$OUT")"
  started=$((SECONDS - $(jq -r .seconds "$OUT")))
  log "resuming project $P after $(jq -r '[.versions[].name] | join(", ")' "$OUT")"
else
  import_set
  first_versions
fi

# --- v2: Loupe's curation plan from v1's evaluation, every automatic action applied ------------------------------------
PLAN_ID=""
if [[ -n "${RESUME:-}" ]]; then
  PLAN_ID="$(api "$D/api/projects/$P/curation-plans" | jq -r '[.[] | select(.status == "APPLIED" or .status == "APPLYING")][0].planId // empty')"
fi
if [[ -z "$PLAN_ID" ]]; then
  PLAN="$(post "$D/api/projects/$P/curation-plans" "{\"budget\":$BUDGET,\"minConfidence\":$REVIEW_MIN}")"
  PLAN_ID="$(jq -r .planId <<<"$PLAN")"
  log "plan $PLAN_ID: $(jq -c '[.actions[] | {kind, auto, count: (.count // (.itemIds | length))}]' <<<"$PLAN")"
  post "$D/api/curation-plans/$PLAN_ID/apply" "{\"epochs\":$EPOCHS,\"repeats\":$REPEATS,\"seed\":$SEED}" >/dev/null
fi
until [[ "$(api "$D/api/curation-plans/$PLAN_ID" | jq -r .status)" =~ ^(APPLIED|FAILED)$ ]]; do sleep 10; done
PLAN="$(api "$D/api/curation-plans/$PLAN_ID")"
[[ "$(jq -r .status <<<"$PLAN")" == APPLIED ]] || { log "plan failed: $(jq -r .error <<<"$PLAN")"; exit 1; }
V2="$(jq -r .versionId <<<"$PLAN")"; EV2="$(jq -r .evaluationId <<<"$PLAN")"
record plan "$V2" "$(await_evaluation "$V2" "$EV2")" "$(jq -c '{plan: {planId, items, actions: [.actions[] |
  {kind, auto, "label": .label, count: (.count // (.itemIds | length)), reason}]}}' <<<"$PLAN")"
write_results

# --- v3..: an automatic curation run from there, without people ----------------------------------------------------------
RUN="$(post "$D/api/projects/$P/curation-runs" "{\"budget\":$BUDGET,\"rounds\":$ROUNDS,\"epochs\":$EPOCHS,\"repeats\":$REPEATS,\"seed\":$SEED,\"minConfidence\":$REVIEW_MIN}")"
RUN_ID="$(jq -r .runId <<<"$RUN")"; log "automatic run $RUN_ID: $ROUNDS rounds"
until [[ "$(api "$D/api/curation-runs/$RUN_ID" | jq -r .status)" =~ ^(COMPLETED|FAILED|CANCELLED)$ ]]; do sleep 30; done
RUN="$(api "$D/api/curation-runs/$RUN_ID")"
log "run $(jq -c '{status, error, bestVersionId, rounds: [.rounds[] | {round, verdict, val: .valAccuracy.mean}]}' <<<"$RUN")"
while IFS=$'\t' read -r round v ev; do
  [[ "$v" != null && "$ev" != null ]] || continue
  record "run-round-$round" "$v" "$(await_evaluation "$v" "$ev")" "$(jq -c --argjson r "$round" \
    '{run: {runId, status, bestVersionId, round: (.rounds[] | select(.round == $r))}}' <<<"$RUN")"
done < <(jq -r '.rounds[] | [.round, (.versionId // "null"), (.evaluationId // "null")] | @tsv' <<<"$RUN")
write_results
jq -c '.versions[] | {name, val: .summary.valAccuracy.mean, test: .summary.testAccuracy.mean}' "$OUT"
