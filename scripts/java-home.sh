# Sourced by ./jrtc, ./run-tests and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: an existing JAVA_HOME if it is 21+, `java` on the PATH if it is 21+, then the newest JDK under /usr/lib/jvm.
# The major version: from the JDK's release file when it has one (no JVM start: this runs on every ./jrtc), else by
# asking the JVM.
jrtc_java_major() {
  local v=""
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n1)
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1)
  fi
  echo "$v"
}
jrtc_pick_java_home() {
  local cand major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(jrtc_java_major "$JAVA_HOME"); if [ "${major:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(jrtc_java_major "$cand"); if [ "${major:-0}" -ge 21 ]; then echo "$cand"; return 0; fi
  fi
  for cand in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$cand/bin/javac" ] || continue
    major=$(jrtc_java_major "$cand")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$cand"; best_major=$major; fi
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}
if JAVA_HOME=$(jrtc_pick_java_home); then
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "jrtc needs a JDK 21 or newer; none found (set JAVA_HOME)." >&2
  return 1 2>/dev/null || exit 1
fi
