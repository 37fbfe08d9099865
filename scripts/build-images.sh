#!/usr/bin/env bash
# Builds the local images the Docker lessons use on a real engine with no registry:
#   busybox            CMD ["sh"]                          (as the Docker Hub image)
#   nginx:1.16.1/nginx CMD ["nginx","-g","daemon off;"]    EXPOSE 80/tcp (as the Docker Hub image)
# Both are `docker import`s of a root file system made from Debian's busybox-static. The nginx
# stand-in's /usr/sbin/nginx runs busybox httpd on port 80 in the foreground, serving the real
# nginx 1.16.1 welcome page (612 bytes, nginx/nginx@release-1.16.1:docs/html/index.html).
# Idempotent: an image that already exists with the same content label is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

# The 20.10 CLI of Debian's docker.io (a newer client elsewhere on PATH prints other texts).
DOCKER=${DOCKER:-docker}
[ -x /usr/bin/docker ] && DOCKER=/usr/bin/docker
BUSYBOX=$(command -v busybox || true)
[ -x /bin/busybox ] && BUSYBOX=/bin/busybox
# Capture the whole help text first: with pipefail, `busybox --help | head -1` can fail on SIGPIPE.
BUSYBOX_HELP=$([ -n "$BUSYBOX" ] && "$BUSYBOX" --help 2>&1 || true)
if [ -z "$BUSYBOX" ] || [[ "$BUSYBOX_HELP" != *BusyBox* ]]; then
  echo "build-images: busybox-static is required (apt-get install busybox-static)" >&2
  exit 1
fi
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "build-images: $BUSYBOX is dynamically linked; install busybox-static" >&2
  exit 1
fi

page=images/nginx/index.html
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# rootfs <dir>: a minimal busybox root file system with the applet links in /bin.
rootfs() {
  local d=$1
  mkdir -p "$d"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var/www,home}
  chmod 1777 "$d/tmp"
  cp "$BUSYBOX" "$d/bin/busybox"
  for a in $("$BUSYBOX" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$d/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$d/etc/group"
}

# build <dir> <label> <tag>... -- <change>...: imports dir unless an image with that label exists.
build() {
  local d=$1 label=$2; shift 2
  local tags=() changes=()
  while [ "$1" != "--" ]; do tags+=("$1"); shift; done; shift
  changes=("$@")
  local sum
  sum=$( (cd "$d" && find . -printf '%p %l %m\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)
  local have
  have=$("$DOCKER" image inspect -f '{{index .Config.Labels "lab.content"}}' "${tags[0]}" 2>/dev/null || true)
  if [ "$have" = "$sum" ]; then
    for t in "${tags[@]:1}"; do "$DOCKER" tag "${tags[0]}" "$t"; done
    echo "build-images: ${tags[*]} up to date"
    return
  fi
  local args=()
  for c in "${changes[@]}"; do args+=(--change "$c"); done
  args+=(--change "LABEL lab.content=$sum")
  (cd "$d" && tar -c --numeric-owner --owner=0 --group=0 .) | "$DOCKER" import "${args[@]}" - "${tags[0]}" >/dev/null
  for t in "${tags[@]:1}"; do "$DOCKER" tag "${tags[0]}" "$t"; done
  echo "build-images: built ${tags[*]}"
}

rootfs "$work/busybox"
build "$work/busybox" busybox busybox:latest -- 'CMD ["sh"]'

rootfs "$work/nginx"
mkdir -p "$work/nginx/usr/share/nginx/html" "$work/nginx/etc/nginx"
cp "$page" "$work/nginx/usr/share/nginx/html/index.html"
cat >"$work/nginx/usr/sbin/nginx" <<'SH'
#!/bin/sh
# Stand-in for nginx 1.16.1: the welcome page on port 80, in the foreground (`-g 'daemon off;'`).
exec httpd -f -p 80 -h /usr/share/nginx/html
SH
chmod 755 "$work/nginx/usr/sbin/nginx"
build "$work/nginx" nginx nginx:1.16.1 nginx:latest -- \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'ENV NGINX_VERSION=1.16.1' \
  'EXPOSE 80/tcp' \
  'CMD ["nginx","-g","daemon off;"]'
