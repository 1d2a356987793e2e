#!/usr/bin/env bash
# The embedding service's benchmark, every number against a peer measured in the same run:
#  1. embedding throughput: Loupe's DJL embedder against Python PyTorch on the same TorchScript files;
#  2. the 2-D map of 3k, 10k, 30k, 40k and 100k embeddings: Loupe's map path (PCA, k-NN graph, its own parallel UMAP
#     layout) against umap-learn on the same vectors, both maps scored alike; plus what the service does for a
#     single new image (placed on the map) and a neighbour query at each size.
# The vectors are glyphnet-v1 embeddings of 100,000 synthetic glyphs (generated and embedded here, cached in
# embedding-service/target/bench; the first run takes about 5 minutes longer).
# Needs: ./loupe build (or ./loupe test) done, Debian's python3-torch, python3-torchvision, umap-learn, libjemalloc2.
# Writes results.txt beside this script. Usage: benchmarks/embedding/run.sh [map]
#   map: only part 2, replacing the map section of results.txt and keeping the throughput section above it.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAVA_HOME="$("$ROOT/loupe" jdk)"
PY=/usr/bin/python3
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
WORK="$ROOT/embedding-service/target/bench"
mkdir -p "$WORK"
GLYPHNET="$ROOT/embedding-service/src/main/resources/models/glyphnet-v1.pt"
[[ "${1:-all}" == map || -f "$WORK/resnet18-64.pt" ]] || "$PY" "$ROOT/embedding-service/model/export_resnet18.py" --out "$WORK/resnet18-64.pt" >/dev/null
APP="$ROOT/embedding-service/target/quarkus-app"
CP="$APP/app/*:$APP/lib/main/*:$APP/lib/boot/*"
N=2048 BATCH=64 THREADS=2
SIZES=3000,10000,30000,40000,100000
PART="${1:-all}"
VECTORS="$WORK/glyphs-100k.f32"
if [[ ! -f "$VECTORS" ]]; then
  "$JAVA_HOME/bin/java" -cp "$ROOT/platform/synthetic/target/loupe-synthetic-0.1.0-SNAPSHOT.jar" \
    dev.loupe.synthetic.GenerateDemo --out "$WORK/glyphs-100k.zip" --per-class 10000 --seed 11 >&2
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -cp "$CP" \
    dev.loupe.embedding.embedder.EmbedZip --zip "$WORK/glyphs-100k.zip" --model "$GLYPHNET" --out "$VECTORS" 2>/dev/null >&2
fi
machine() {
  local changed memory
  changed="$(git -C "$ROOT" diff --quiet HEAD -- embedding-service/src "$HERE"/*.py "$HERE"/*.sh || echo ' plus uncommitted changes')"
  memory="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "$(date -u +%FT%TZ), commit $(git -C "$ROOT" rev-parse --short HEAD)$changed, $(nproc) cores, $memory memory"
}
map_part() {
  echo "## map: $SIZES points of $VECTORS (glyphnet-v1, 64-d)"
  "$JAVA_HOME/bin/java" -Xmx8g -cp "$CP" dev.loupe.embedding.analysis.MapBenchmark --vectors "$VECTORS" --sizes $SIZES \
    --out "$WORK/maps/loupe" 2>/dev/null | tee "$WORK/map-loupe.txt"
  "$PY" "$HERE/umap_peer.py" --vectors "$VECTORS" --sizes $SIZES --loupe-maps "$WORK/maps/loupe" --out "$WORK/maps/umap" \
    2>/dev/null | tee "$WORK/map-peer.txt"
  for n in ${SIZES//,/ }; do
    loupe="$(grep -E "^LOUPE n=$n map" "$WORK/map-loupe.txt" | sed -E 's/.* map ([0-9.]+) s.*/\1/')"
    peer="$(grep -E "^PEER n=$n " "$WORK/map-peer.txt" | sed -E 's/.* map ([0-9.]+) s.*/\1/')"
    kept_loupe="$(grep -E "^QUALITY n=$n loupe:" "$WORK/map-peer.txt" | sed -E 's/.*knn-preserved ([0-9.]+).*/\1/')"
    kept_peer="$(grep -E "^QUALITY n=$n umap-learn:" "$WORK/map-peer.txt" | sed -E 's/.*knn-preserved ([0-9.]+).*/\1/')"
    awk -v l="$loupe" -v p="$peer" -v n="$n" -v kl="$kept_loupe" -v kp="$kept_peer" 'BEGIN {
      printf "RATIO map n=%d: umap-learn %.1f s / Loupe %.1f s = %.2fx (above 1: Loupe faster); kNN kept Loupe / umap-learn = %.2f\n",
        n, p, l, p / l, kl / kp }'
  done
}
if [[ "$PART" == map ]]; then
  kept="$(sed '/^## map:/,$d' "$HERE/results.txt")"
  { echo "$kept"
    echo "# map part rerun: $(machine); command: benchmarks/embedding/run.sh map"
    map_part
  } > "$HERE/results.txt.new"
  mv "$HERE/results.txt.new" "$HERE/results.txt"
  cat "$HERE/results.txt"
  exit 0
fi
{
  echo "# $(machine), jemalloc, batch $BATCH, $THREADS threads, $N images; command: benchmarks/embedding/run.sh"
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
  map_part
} | tee "$HERE/results.txt"
