#!/usr/bin/env bash
# MiniLM embedding latency, infer4j vs ONNX Runtime in adjacent pairs (one JVM, engines taking turns).
#   benchmarks/encoder-pairs.sh [--shapes 1x16,1x128,32x128,32x256 --pairs 12 --block-ms 1000 --threads 2]
# Builds the benchmarks jar when it is missing or stale.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench-setup.sh"
ensure_benchmarks_jar encoder-pairs
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -XX:+UseParallelGC -Xmx512m -Xmn16m -cp "$jar" dev.infer4j.benchmarks.encoders.EncoderPairs "$@"
