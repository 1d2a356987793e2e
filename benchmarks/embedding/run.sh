#!/usr/bin/env bash
# Embedding throughput: Loupe's DJL embedder against Python PyTorch on the same TorchScript files, in one run.
# Needs: ./loupe build (or ./loupe test) done, Debian's python3-torch + python3-torchvision, libjemalloc2.
# Writes results-throughput.txt beside this script. Usage: benchmarks/embedding/run.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAVA_HOME="$("$ROOT/loupe" jdk)"
PY=/usr/bin/python3
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
WORK="$ROOT/embedding-service/target/bench"
mkdir -p "$WORK"
GLYPHNET="$ROOT/embedding-service/src/main/resources/models/glyphnet-v1.pt"
[[ -f "$WORK/resnet18-64.pt" ]] || "$PY" "$ROOT/embedding-service/model/export_resnet18.py" --out "$WORK/resnet18-64.pt" >/dev/null
APP="$ROOT/embedding-service/target/quarkus-app"
CP="$APP/app/*:$APP/lib/main/*:$APP/lib/boot/*"
N=2048 BATCH=64 THREADS=2
{
  echo "# $(date -u +%FT%TZ), $(nproc) cores, jemalloc, batch $BATCH, $THREADS threads, $N images; command: benchmarks/embedding/run.sh"
  for spec in "glyphnet-v1:$GLYPHNET:1" "resnet18:$WORK/resnet18-64.pt:3"; do
    IFS=: read -r name file channels <<<"$spec"
    echo "## $name (${channels}x64x64)"
    python_line="$("$PY" "$HERE/torch_throughput.py" --model "$file" --channels "$channels" --n $N --batch $BATCH --threads $THREADS)"
    echo "$python_line"
    java_lines="$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -cp "$CP" \
      dev.loupe.embedding.embedder.EmbeddingThroughput --model "$file" --channels "$channels" --n $N --batch $BATCH \
      --preprocess-threads 1 --inference-threads $THREADS --rounds 3 2>/dev/null | grep -E "images/s|model ")"
    echo "$java_lines"
    python_rate="$(sed -E 's/.*= ([0-9.]+) images\/s.*/\1/' <<<"$python_line")"
    best_inference="$(grep "inference only" <<<"$java_lines" | sed -E 's/.*= +([0-9.]+) images\/s.*/\1/' | sort -n | tail -1)"
    best_end_to_end="$(grep "end to end" <<<"$java_lines" | sed -E 's/.*= +([0-9.]+) images\/s.*/\1/' | sort -n | tail -1)"
    awk -v p="$python_rate" -v i="$best_inference" -v e="$best_end_to_end" 'BEGIN {
      printf "RATIO %s: DJL inference %.1f / PyTorch %.1f images/s = %.2fx; DJL with PNG decoding and preprocessing %.1f images/s\n", "'"$name"'", i, p, i / p, e }'
  done
} | tee "$HERE/results-throughput.txt"
