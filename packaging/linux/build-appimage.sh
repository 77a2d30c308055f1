#!/usr/bin/env bash
# Wrap the one-folder build (dist/ldn-desktop, from `make dist`) into an AppImage, for
# distributions other than Debian/Ubuntu:
#   packaging/linux/build-appimage.sh        -> dist/LDN_Desktop-<version>-<arch>.AppImage
# Needs appimagetool (https://github.com/AppImage/appimagetool) on the PATH or in
# $APPIMAGETOOL; without it, the AppDir is left in build/LDN_Desktop.AppDir (runnable as
# build/LDN_Desktop.AppDir/AppRun) and the script says so. The target still needs Qt's
# system libraries (docs/installing.md) and glibc >= 2.34.
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=dist/ldn-desktop
[[ -x $bundle/ldn-desktop ]] || { echo "build-appimage: no $bundle (run: make dist)" >&2; exit 1; }
version="$(QT_QPA_PLATFORM=offscreen "$bundle/ldn-desktop" --version | awk '{print $2}')"
arch="$(uname -m)"
appdir=build/LDN_Desktop.AppDir
rm -rf "$appdir"
mkdir -p "$appdir/usr/share/applications"
cp -a "$bundle" "$appdir/usr/ldn-desktop"
cat > "$appdir/AppRun" <<'RUN'
#!/bin/sh
# The AppImage's entry point: the frozen app inside this AppDir, with its arguments.
here="$(dirname "$(readlink -f "$0")")"
exec "$here/usr/ldn-desktop/ldn-desktop" "$@"
RUN
chmod 755 "$appdir/AppRun"
install -m 644 packaging/linux/ldn-desktop.desktop "$appdir/ldn-desktop.desktop"
install -m 644 packaging/linux/ldn-desktop.desktop "$appdir/usr/share/applications/"
install -m 644 resources/icons/ldn-desktop-256.png "$appdir/ldn-desktop.png"
ln -sf ldn-desktop.png "$appdir/.DirIcon"

tool="${APPIMAGETOOL:-$(command -v appimagetool || true)}"
if [[ -z $tool ]]; then
  echo "build-appimage: appimagetool not found; the AppDir is ready in $appdir" >&2
  exit 0
fi
out="dist/LDN_Desktop-${version}-${arch}.AppImage"
ARCH="$arch" "$tool" --no-appstream "$appdir" "$out"
echo "$out"
