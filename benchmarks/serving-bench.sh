#!/usr/bin/env bash
# Serving speed: aggregate decode tokens/s of 1, 4 and 8 concurrent streaming clients against the real HTTP server,
# beside llama-bench's single-stream generation on the same file in the same run; TTFT and ITL p50/p99.
#   benchmarks/serving-bench.sh [--streams 1,4,8 --tokens 64 --rounds 2 --threads 2]
# Environment: SHAPE (tinyllama), TYPE (Q4_0), INFER4J_SHAPES (model dir, default /tmp/infer4j-shapes),
# INFER4J_LLAMACPP_KIT (default ../shared/llama.cpp beside the checkout). Makes the model file when missing and
# builds the benchmarks jar when it is missing or stale.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench-setup.sh"
type=${TYPE:-Q4_0}
model="$dir/$shape-shape-$type.gguf"
ensure_shape_models serving-bench "$type"
ensure_benchmarks_jar serving-bench
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -XX:+UseParallelGC -Xmx1g -XX:MaxDirectMemorySize=64g \
  -cp "$jar" dev.infer4j.benchmarks.server.ServingBench --model "$model" --kit "$kit" "$@"
