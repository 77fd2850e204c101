#!/usr/bin/env bash
# The Java runtime the Spark engine and its tests need (Java 17 or newer).
#   java.sh          install Debian's openjdk-17-jre-headless when no usable java is found
#   java.sh status   exit 0 if java 17+ runs
set -euo pipefail
action="${1:-start}"

usable() {
    local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
    command -v "$java" >/dev/null 2>&1 || return 1
    local version
    version=$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    [ -n "$version" ] && [ "$version" -ge 17 ]
}

case "$action" in
    status) usable; exit $? ;;
    start) ;;
    *) echo "usage: java.sh [start|status]" >&2; exit 2 ;;
esac

usable && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "Java 17+ is not installed and this user cannot install it (apt-get install openjdk-17-jre-headless)" >&2
    exit 1
fi
as_root=""
[ "$(id -u)" -ne 0 ] && as_root="sudo"
# The JRE's post-install step wants the man page folder that slim images leave out.
$as_root mkdir -p /usr/share/man/man1
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq openjdk-17-jre-headless >/dev/null
usable || { echo "java 17+ still not usable after installing openjdk-17-jre-headless" >&2; exit 1; }
echo "installed openjdk-17-jre-headless"
