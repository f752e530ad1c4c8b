# Shared set-up of the benchmark scripts that run beside llama.cpp; sourced, not run.
# Defines root, kit, dir, shape and jar, and two steps: ensure_shape_models and ensure_benchmarks_jar.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/.mvn/jdk.sh"
infer4j_find_jdk || exit 1
kit=$(realpath "${INFER4J_LLAMACPP_KIT:-$root/../shared/llama.cpp}")
dir=${INFER4J_SHAPES:-/tmp/infer4j-shapes}
shape=${SHAPE:-tinyllama}
jar="$root/benchmarks/target/benchmarks.jar"

# ensure_shape_models NAME TYPE...: writes the missing $shape files of these types into $dir.
ensure_shape_models() {
  local name=$1 missing="" t
  shift
  for t in "$@"; do
    [ -f "$dir/$shape-shape-$t.gguf" ] || missing="$missing $t"
  done
  if [ -n "$missing" ]; then
    echo "$name: writing$missing $shape files into $dir" >&2
    TYPES="${missing# }" THREADS=2 "$kit/make-shape-models.sh" "$dir" "$shape" >&2
  fi
}

# ensure_benchmarks_jar NAME: builds $jar when it is missing or older than any main source or pom.
ensure_benchmarks_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
    echo "$1: building $jar" >&2
    (cd "$root" && ./mvnw -q -B -DskipTests -pl benchmarks -am package)
  fi
}
