#!/usr/bin/env bash
# Decoder speed vs llama.cpp, side by side on random-weight GGUF files of a real model's shape.
#   benchmarks/decoder-bench.sh [--rounds N --reps N --threads N --pp N --tg N]
# Environment: SHAPE (tinyllama), TYPES ("F32 F16 Q8_0 Q4_0"), INFER4J_SHAPES (model dir, default /tmp/infer4j-shapes),
# INFER4J_LLAMACPP_KIT (default ../shared/llama.cpp beside the checkout). Makes missing model files first
# (tinyllama: about 9 GB, 2-3 minutes) and builds the benchmarks jar when it is missing or stale.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/.mvn/jdk.sh"
infer4j_find_jdk || exit 1
kit=$(realpath "${INFER4J_LLAMACPP_KIT:-$root/../shared/llama.cpp}")
dir=${INFER4J_SHAPES:-/tmp/infer4j-shapes}
shape=${SHAPE:-tinyllama}
types=${TYPES:-F32 F16 Q8_0 Q4_0}

missing=""
for t in $types; do
  [ -f "$dir/$shape-shape-$t.gguf" ] || missing="$missing $t"
done
if [ -n "$missing" ]; then
  echo "decoder-bench: writing$missing $shape files into $dir" >&2
  TYPES="${missing# }" THREADS=2 "$kit/make-shape-models.sh" "$dir" "$shape" >&2
fi

jar="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
  echo "decoder-bench: building $jar" >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl benchmarks -am package)
fi
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$jar" dev.infer4j.benchmarks.decoders.DecoderBench \
  --dir "$dir" --shape "$shape" --types "$(echo $types | tr ' ' ,)" --kit "$kit" "$@"
