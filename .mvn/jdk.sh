# Sourced by ./mvnw, ./infer4j and .ci/run: exports JAVA_HOME pointing at a JDK 25 or newer, or exits with a clear message.
infer4j_java_feature() { # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
infer4j_find_jdk() {
  local candidate version tried=()
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] || continue
    tried+=("$candidate")
    version=$(infer4j_java_feature "$candidate")
    if [ -n "$version" ] && [ "$version" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "infer4j: no JDK 25 or newer found. Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/temurin-25-jdk-amd64, /usr/lib/jvm/*." >&2
  echo "infer4j: install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
