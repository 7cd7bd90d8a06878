#!/usr/bin/env bash
# The system packages the test suite runs as real components, from Debian:
# - Chromium drives the dashboard's browser tests (never a downloaded browser build);
# - redis-server backs the shared-store tests (Jest's global setup starts one per worker, and a few tests start
#   their own to stop and restart it);
# - Python with requests and rsa, and a JDK with Jackson and OkHttp, run the platforms' public clients in their
#   own language;
# - JUnit 5 (its console launcher, Jupiter engine and API) runs the JUnit test of docs/verify.md as written;
# - nginx is the load balancer of the Compose recipe's test (docs/ci-recipes.md);
# - podman with runc builds and runs the Dockerfile's image, on a base image made with mmdebstrap
#   (test/container/image.test.ts).
#
# usage: system-packages.sh --check     exit 1 naming what is missing and the one command that installs it
#        system-packages.sh --install   apt-get install what is missing (as root, or through sudo)
#
# Files are looked for under SYSTEM_PACKAGES_ROOT (default /) and commands on PATH, so that a test can ask
# about a machine that has none of them.
set -euo pipefail

root=${SYSTEM_PACKAGES_ROOT:-}
has() { command -v "$1" >/dev/null || [ -x "$root/usr/sbin/$1" ]; }
missing=()
[ -x "$root/usr/bin/chromium" ] || missing+=(chromium)
has redis-server || missing+=(redis-server)
"$root/usr/bin/python3" -c 'import requests, rsa' 2>/dev/null || missing+=(python3 python3-requests python3-rsa)
has javac || missing+=(default-jdk-headless)
[ -f "$root/usr/share/java/jackson-databind.jar" ] || missing+=(libjackson2-databind-java)
[ -f "$root/usr/share/java/okhttp.jar" ] || missing+=(libokhttp-java)
[ -f "$root/usr/share/java/junit-platform-console-standalone.jar" ] || missing+=(junit5)
has nginx || missing+=(nginx-light)
has podman || missing+=(podman)
has runc || missing+=(runc)
has mmdebstrap || missing+=(mmdebstrap)

[ ${#missing[@]} -eq 0 ] && exit 0

case "${1:-}" in
  --install)
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "installing the Debian packages the tests use: ${missing[*]}"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # The Debian package starts a redis-server of its own on 6379; the tests never use it (they start their own).
    ;;
  --check)
    echo "the tests need Debian packages that are not installed: ${missing[*]}" >&2
    echo "install them with: npm run test:setup   (apt-get install, as root or through sudo)" >&2
    exit 1
    ;;
  *)
    echo "usage: $0 --check | --install" >&2
    exit 2
    ;;
esac
