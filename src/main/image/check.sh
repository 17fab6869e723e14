#!/usr/bin/env bash
# Checks target/publipostage-image.tar without a container engine (as root): unpacks its layers into a
# directory, then runs the image's entrypoint there in a chroot as the image's user (uid 10001):
# `java -version`, the application's `help`, and render-html (the PDF engine, its fonts). Usage: src/main/image/check.sh [IMAGE.tar]
set -euo pipefail
tar_file=${1:-target/publipostage-image.tar}
work=$(mktemp -d)
trap 'umount "$work/root/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/image" "$work/root"
tar -xf "$tar_file" -C "$work/image"
# docker-archive layout: manifest.json lists the layers in order.
for layer in $(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$work/image/manifest.json"); do
  tar -xzf "$work/image/$layer" -C "$work/root" 2>/dev/null || tar -xf "$work/image/$layer" -C "$work/root"
done
config=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Config"])' "$work/image/manifest.json")
user=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["User"])' "$work/image/$config")
echo "image user: $user"
[ "$user" != "root" ] && [ "${user%%:*}" != "0" ] || { echo "the image runs as root" >&2; exit 1; }
mkdir -p "$work/root/proc"
mount -t proc proc "$work/root/proc"
chroot --userspec="$user" "$work/root" /opt/java/bin/java -version
chroot --userspec="$user" "$work/root" /opt/java/bin/java -Djava.awt.headless=true -cp @/app/jib-classpath-file fr.publipostage.Main help
# The PDF engine with the image's fonts and libraries, as the image's user.
printf '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Lycée Montesquieu — Zoé Œuvray</p></body></html>' > "$work/root/tmp/check.xhtml"
chmod 644 "$work/root/tmp/check.xhtml"
PUBLIPOSTAGE_RENDER_FORK=false chroot --userspec="$user" "$work/root" /opt/java/bin/java -Djava.awt.headless=true \
  -Dpdfbox.fontcache=/tmp -cp @/app/jib-classpath-file fr.publipostage.Main render-html /tmp/check.xhtml /tmp/check.pdf
head -c 8 "$work/root/tmp/check.pdf" | grep -q '%PDF-1.' || { echo "render-html wrote no PDF" >&2; exit 1; }
echo "image OK"
