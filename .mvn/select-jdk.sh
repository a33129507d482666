# shellcheck shell=sh
# Sourced by ./mvnw and the tools/bin launchers: makes JAVA_HOME name a JDK 25 or newer.
# A fresh shell on the machines hvsim targets has Java 17 as `java`; JDK 25 lives under /usr/lib/jvm.
hvsim_jdk_feature() {
  # Prints the feature version of the JDK at $1 (from its `release` file; no JVM start), or nothing.
  [ -r "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
hvsim_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(hvsim_jdk_feature "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  # find, not a glob: ./mvnw runs with `set -f`.
  for candidate in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -r); do
    [ -x "$candidate/bin/javac" ] || continue
    if [ "$(hvsim_jdk_feature "$candidate")" -ge 25 ] 2>/dev/null; then
      JAVA_HOME=$candidate
      export JAVA_HOME
      return 0
    fi
  done
  echo "hvsim: a JDK 25 or newer is required; set JAVA_HOME or install one under /usr/lib/jvm" >&2
  return 1
}
hvsim_select_jdk || exit 1
