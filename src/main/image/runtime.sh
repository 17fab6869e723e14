#!/usr/bin/env bash
# The image's base layer, made without any registry (mvn -Pimage package calls it; see README,
# "Run in production"): a Java runtime cut by jlink from the JDK that builds, the shared libraries
# that runtime loads (found with ldd), fontconfig and the DejaVu fonts for Java2D, the CA
# certificates, and a non-root user. Jib puts it on `scratch`, then adds the application.
set -euo pipefail
out=${1:?usage: runtime.sh OUTPUT_DIR}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
rm -rf "$out"
mkdir -p "$out/etc" "$out/tmp" "$out/home/publipostage"

"$java_home/bin/jlink" --output "$out/opt/java" --strip-debug --no-header-files --no-man-pages \
  --add-modules java.base,java.compiler,java.datatransfer,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs \
  --include-locales=fr,en
# Debian's cacerts is a link into /etc: the image gets the file itself.
rm -f "$out/opt/java/lib/security/cacerts"
cp -L "$java_home/lib/security/cacerts" "$out/opt/java/lib/security/cacerts"

# Every library the runtime links to, and fontconfig (Java2D loads it at run time), at their paths.
copy_lib() {
  local lib=$1
  [ -e "$out$lib" ] && return 0
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
}
libs() {
  ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
}
fontconfig=$(ldconfig -p | awk '/libfontconfig\.so\.1 / && /x86-64/ {print $NF; exit}')
for f in "$out"/opt/java/bin/* $(find "$out/opt/java/lib" -name '*.so' ! -name 'libawt_xawt.so' ! -name 'libsplashscreen.so' ! -name 'libjawt.so') $fontconfig; do
  for lib in $(libs "$f"); do
    case "$lib" in "$out"*) ;; *) copy_lib "$lib" ;; esac
  done
done
[ -n "$fontconfig" ] && copy_lib "$fontconfig" && for lib in $(libs "$fontconfig"); do copy_lib "$lib"; done
if [ -d /etc/fonts ]; then cp -rL /etc/fonts "$out/etc/fonts"; fi
if [ -d /usr/share/fonts/truetype/dejavu ]; then
  mkdir -p "$out/usr/share/fonts/truetype"
  cp -rL /usr/share/fonts/truetype/dejavu "$out/usr/share/fonts/truetype/dejavu"
fi

cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
publipostage:x:10001:10001:Publipostage:/home/publipostage:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
publipostage:x:10001:
GROUP
echo "runtime for the image in $out: $(du -sh "$out" | cut -f1)"
