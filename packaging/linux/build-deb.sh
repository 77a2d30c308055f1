#!/usr/bin/env bash
# Wrap the one-folder build (dist/ldn-desktop, from `make dist`) into a Debian/Ubuntu package:
#   packaging/linux/build-deb.sh        -> dist/ldn-desktop_<version>_<arch>.deb
# Installs to /opt/ldn-desktop, with /usr/bin/ldn-desktop, a menu entry and the icon.
# Check it with: dpkg-deb --info/--contents dist/ldn-desktop_*.deb
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=dist/ldn-desktop
[[ -x $bundle/ldn-desktop ]] || { echo "build-deb: no $bundle (run: make dist)" >&2; exit 1; }
version="$(QT_QPA_PLATFORM=offscreen "$bundle/ldn-desktop" --version | awk '{print $2}')"
arch="$(dpkg --print-architecture)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"

mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/DEBIAN" \
         "$root/usr/share/doc/ldn-desktop"
cp -a "$bundle" "$root/opt/ldn-desktop"
ln -s /opt/ldn-desktop/ldn-desktop "$root/usr/bin/ldn-desktop"
install -m 644 packaging/linux/ldn-desktop.desktop "$root/usr/share/applications/"
for png in resources/icons/ldn-desktop-*.png; do
  size="${png##*-}"; size="${size%.png}"
  install -D -m 644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/ldn-desktop.png"
done
install -D -m 644 resources/icons/ldn-desktop.svg \
  "$root/usr/share/icons/hicolor/scalable/apps/ldn-desktop.svg"
install -m 644 resources/fonts/LICENSE-DejaVu.txt "$root/usr/share/doc/ldn-desktop/"

# The system libraries the bundled Qt loads (PLATFORM.md; the same list as
# scripts/system-deps.sh run). glibc >= 2.34 for PyInstaller's bootloader and Python.
depends="libc6 (>= 2.34), libgl1, libegl1, libx11-6, libdbus-1-3, libfontconfig1,
 libfreetype6, libglib2.0-0, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4,
 libxcb-keysyms1, libxcb-render-util0, libxcb-shape0, libcups2, fonts-dejavu-core"
cat > "$root/DEBIAN/control" <<CONTROL
Package: ldn-desktop
Version: $version
Architecture: $arch
Maintainer: LDN Desktop <support@ldn-desktop.invalid>
Section: science
Priority: optional
Installed-Size: $(du -sk "$root/opt" "$root/usr" | awk '{s += $1} END {print s}')
Depends: $(echo "$depends" | tr -s ' \n' ' ')
Description: Compounding calculator, batch record and labels for low-dose naltrexone
 LDN Desktop calculates low-dose naltrexone preparations (capsules, oral liquid,
 cream), records batches in an audited SQLite database, and prints labels and
 patient leaflets. The pharmacy's database lives in each user's data folder
 (~/.local/share/LDN Desktop); removing the package leaves it in place.
CONTROL
# Refresh the menu and icon caches after installing or removing (if the tools exist).
for script in postinst postrm; do
  cat > "$root/DEBIAN/$script" <<'HOOK'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
HOOK
  chmod 755 "$root/DEBIAN/$script"
done

out="dist/ldn-desktop_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "$out"
