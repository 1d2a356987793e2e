#!/usr/bin/env bash
# The reference model's full run through Loupe, as a user would do it: the real DCAI 2021 set imported (train/ and
# val/ zipped, never copied into the repository), the split kept as imported, a version published, and the trainer
# service's automatic run on that version's export (100 epochs, seed 123, test = label_book) awaited.
#
# Start Loupe first, with the label book as the configured test folder and 2 training threads, e.g.
#   LOUPE_DEMO=false LOUPE_TRAINER_TEST_FOLDER=$PWD/../shared/datasets/dcai-roman-2021/label_book \
#   LOUPE_TRAINER_THREADS=2 ./loupe up
# then: LOUPE_ADMIN_PASSWORD=<printed by ./loupe up> benchmarks/trainer/full-run.sh [results file]
# (or LOUPE_TOKEN=<an API token>)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${LOUPE_DCAI_DIR:-$ROOT/../shared/datasets/dcai-roman-2021}"
OUT="${1:-$ROOT/benchmarks/trainer/results-full-run.json}"
L="${LOUPE_LABEL_URL:-http://localhost:8081}"
D="${LOUPE_DATASET_URL:-http://localhost:8084}"
T="${LOUPE_TRAINER_URL:-http://localhost:8085}"
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }
# shellcheck source=../lib/auth.sh
source "$ROOT/benchmarks/lib/auth.sh"
bench_token "$L"

zip="$(mktemp -d)/dcai-train-val.zip"
(cd "$DATA" && find train val -type f | sort | zip -q -@ "$zip")
P="$(curl -fsS -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"name\":\"dcai-2021-full-run-$(date +%Y%m%d-%H%M%S)\",\"classes\":[\"i\",\"ii\",\"iii\",\"iv\",\"v\",\"vi\",\"vii\",\"viii\",\"ix\",\"x\"]}" "$L/api/projects" | jq -r .id)"
J="$(curl -fsS -H "$AUTH" -F "file=@$zip" "$L/api/projects/$P/imports" | jq -r .importId)"
echo "project $P, import $J" >&2
until [[ "$(curl -fsS -H "$AUTH" "$L/api/imports/$J" | jq -r .status)" != RUNNING ]]; do sleep 2; done
curl -fsS -H "$AUTH" "$L/api/imports/$J" | jq -c "del(.failed)" >&2
rm -f "$zip"

# the split as imported: train stays train, val stays val, except that Loupe keeps exact and near duplicates on one
# side (a val image that duplicates a train image would leak): such groups go to train
curl -fsS -H "$AUTH" -o /dev/null -X PUT -H 'Content-Type: application/json' -H 'If-Match: *' \
  -d '{"strategy":"keep-original","valFraction":0.2,"seed":1}' "$D/api/projects/$P/split/config"
E="${LOUPE_EMBEDDING_URL:-http://localhost:8082}"
until curl -fsS -H "$AUTH" "$E/api/projects/$P/embeddings/status" | jq -e '.embedded + .failed == 2880' >/dev/null; do sleep 2; done
last=""; stable=0
while (( stable < 3 )); do # the split no longer changes (duplicates found, styles known)
  now="$(curl -fsS -H "$AUTH" "$D/api/projects/$P/split" | jq -c 'select(.strategy == "keep-original") | [.splitVersion, ([.counts.train[]?] | add), ([.counts.val[]?] | add)]')"
  if [[ -n "$now" && "$now" == "$last" ]]; then stable=$((stable + 1)); else stable=0; fi
  last="$now"; sleep 5
done
echo "split [version, train, val]: $last" >&2
V="$(curl -fsS -H "$AUTH" -H 'Content-Type: application/json' -d '{"name":"as-imported","note":"DCAI 2021 train/val as provided"}' \
  "$D/api/projects/$P/versions" | jq -r .versionId)"
echo "version $V published; the trainer starts by itself" >&2
started=$SECONDS
while true; do
  E="$(curl -fsS -H "$AUTH" "$D/api/versions/$V/evaluations" | jq -c '.[0] // empty')"
  status="$(jq -r '.status // "none"' <<<"${E:-{\}}")"
  if [[ "$status" == COMPLETED || "$status" == FAILED ]]; then break; fi
  if [[ -n "$E" ]]; then
    printf '\r%s epoch %s/%s  val %.4f  %ds   ' "$status" "$(jq -r .epoch <<<"$E")" "$(jq -r .epochs <<<"$E")" \
      "$(jq -r '.metrics.valAccuracy // 0' <<<"$E")" $((SECONDS - started)) >&2
  fi
  sleep 10
done
echo >&2
ID="$(jq -r .id <<<"$E")"
curl -fsS -H "$AUTH" "$T/api/evaluations/$ID" | jq --arg cmd "$0" --arg cpus "$(nproc)" \
  '{command: $cmd, cpus: ($cpus | tonumber), status, epochs, seed, error, startedAt, finishedAt,
    valAccuracy: .metrics.valAccuracy, testAccuracy: .metrics.testAccuracy, bestEpoch: .metrics.bestEpoch,
    trainItems: .metrics.trainItems, valItems: .metrics.valItems, testItems: .metrics.testItems,
    skippedImages: .metrics.skippedImages, trainSeconds: .metrics.trainSeconds, seconds: .metrics.seconds,
    perClass: .metrics.perClass, testPerClass: .metrics.testPerClass, confusion: .metrics.confusion,
    classes: .metrics.classes, history: [.history[] | {epoch, trainLoss, trainAccuracy, valAccuracy, seconds}]}' > "$OUT"
jq -c '{status, valAccuracy, testAccuracy, bestEpoch, seconds}' "$OUT"
