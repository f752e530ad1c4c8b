#!/usr/bin/env bash
# One-command TornadoVM benchmark harness for a lent GPU machine (see README.md beside this file).
#
#   bash benchmarks/tornadovm/gpu.sh prepare            # here: kit, jar, and a copy of the TornadoVM home to carry
#   bash benchmarks/tornadovm/gpu.sh run [ARGS...]      # there, through the device tool, carrying benchmarks/tornadovm/target
#   bash benchmarks/tornadovm/gpu.sh pocl [ARGS...]     # here, on PoCL: small shapes, CPU backend in the same run
#
# ARGS are TornadoSpeed's key=value arguments; they override the defaults below (e.g. bandwidth=3350 for an
# H100 SXM's 3.35 TB/s, to print decode speed as a share of the memory-bandwidth roof).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
TARGET=benchmarks/tornadovm/target
JAR=$TARGET/tornadovm-benchmarks.jar
HOME_COPY=$TARGET/tornadovm-home
die() { echo "gpu.sh: $*" >&2; exit 1; }

find_java() {
  local c
  for c in "${JAVA_HOME:-}" "${TORNADOVM_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -n "$c" ] && [ -x "$c/bin/java" ] && "$c/bin/java" -version 2>&1 | grep 'version "25' >/dev/null; then
      echo "$c/bin/java"; return
    fi
  done
  die "no JDK 25 here (looked at JAVA_HOME and /usr/lib/jvm/*25*); TornadoVM 5.2.1 needs one"
}

# JVM flags for every run: the SDK's argfile; Vector API intrinsics back on (JVMCI turns them off by default);
# no silent Java fallback; TornadoVM may use up to 64 GB of device memory (its default is 4 GB).
run_java() {
  "$(find_java)" @"$TORNADOVM_ARGFILE" -XX:+EnableVectorSupport -Dtornado.recover.bailout=False \
    -Dtornado.device.memory=64GB --enable-native-access=ALL-UNNAMED -Xmx48g -cp "$JAR" "$@"
}

case "${1:-}" in
  prepare)
    eval "$(bash ../shared/tornadovm/install.sh | sed 's/^/export /')"
    ./mvnw -B -q -Ptornadovm -pl benchmarks/tornadovm -am package -DskipTests
    rm -rf "$HOME_COPY"
    cp -a "$TORNADOVM_HOME" "$HOME_COPY"
    cp ../shared/tornadovm/relocate.sh "$HOME_COPY/relocate.sh"
    du -sh "$JAR" "$HOME_COPY"
    echo "carry: $TARGET  (then: bash benchmarks/tornadovm/gpu.sh run)"
    ;;
  run)
    shift
    [ -f "$JAR" ] && [ -f "$HOME_COPY/relocate.sh" ] || die "run 'gpu.sh prepare' first and carry $TARGET"
    eval "$(bash "$HOME_COPY/relocate.sh" "$HOME_COPY" | sed 's/^/export /')"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || true
    command -v clinfo >/dev/null && clinfo -l || true
    run_java dev.infer4j.kernels.tornadovm.Devices
    # per-op first, so the ratios printed are what replayed steps gain; add backends=cpu,... for the CPU side
    # (on a GPU machine's cores that takes several minutes per shape)
    run_java dev.infer4j.benchmarks.tornadovm.TornadoSpeed backends=tornadovm-per-op,tornadovm llama=llama-3.2-1b \
      dtypes=F16,Q8_0 pp=512 tg=128 batch=1,64 batchSteps=16 bert=32x128 launches=256 reps=3 warmup=5 dir=/tmp/infer4j-shapes "$@"
    ;;
  pocl)
    shift
    eval "$(bash ../shared/tornadovm/install.sh | sed 's/^/export /')"
    [ -f "$JAR" ] || ./mvnw -B -q -Ptornadovm -pl benchmarks/tornadovm -am package -DskipTests
    # threads=1: on 2 shared cores the CPU backend's second thread mostly waits for a core (see README.md)
    run_java dev.infer4j.benchmarks.tornadovm.TornadoSpeed backends=cpu,tornadovm-per-op,tornadovm llama=llama-small \
      dtypes=Q8_0 pp=32 tg=8 batch=1,4 batchSteps=4 bert=4x64 launches=64 reps=3 threads=1 "$@"
    ;;
  *)
    die "usage: gpu.sh prepare | run [key=value...] | pocl [key=value...]"
    ;;
esac
