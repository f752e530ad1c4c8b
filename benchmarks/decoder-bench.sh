#!/usr/bin/env bash
# Decoder speed vs llama.cpp, side by side on random-weight GGUF files of a real model's shape.
#   benchmarks/decoder-bench.sh [--rounds N --reps N --threads N --pp N --tg N]
# Environment: SHAPE (tinyllama), TYPES ("F32 F16 Q8_0 Q4_0"), INFER4J_SHAPES (model dir, default /tmp/infer4j-shapes),
# INFER4J_LLAMACPP_KIT (default ../shared/llama.cpp beside the checkout). Makes missing model files first
# (tinyllama: about 9 GB, 2-3 minutes) and builds the benchmarks jar when it is missing or stale.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench-setup.sh"
types=${TYPES:-F32 F16 Q8_0 Q4_0}
ensure_shape_models decoder-bench $types
ensure_benchmarks_jar decoder-bench
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$jar" dev.infer4j.benchmarks.decoders.DecoderBench \
  --dir "$dir" --shape "$shape" --types "$(echo $types | tr ' ' ,)" --kit "$kit" "$@"
