"""What build.spec and the installer recipes share: names, version, and what to leave out.

Kept as plain Python beside the recipes (not inside the spec) so the tests can check it
without running PyInstaller, and so build.spec stays a short, readable recipe.
"""

from __future__ import annotations

import re

APP_NAME = "LDN Desktop"
EXE_NAME = "ldn-desktop"
PUBLISHER = "LDN Desktop"
BUNDLE_ID = "org.ldn-desktop.LDNDesktop"
DESCRIPTION = "Compounding calculator, batch record and label printing for low-dose naltrexone"
COPYRIGHT = "Copyright (C) LDN Desktop authors"

#: Python modules the app never imports; leaving them out keeps the bundle small.
#: PyInstaller still collects a Qt *library* if a module we do use links it (QtPdf needs
#: libQt6Network), so this removes only the Python bindings and their plugins.
EXCLUDED_MODULES = (
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtLabsStyleKit",
    "PySide6.QtNetwork",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtQml",
    "PySide6.QtQmlFeatures",
    "PySide6.QtQuick",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "tkinter",
    "pytest",
    "hypothesis",
    "IPython",
)

#: Qt plugin folders the app has no use for (database drivers, QML debugging, TLS and
#: network-status backends pulled in through libQt6Network, Designer and Wayland compositor
#: parts). The platform (xcb, wayland, offscreen, windows, cocoa), image-format, print and
#: theme plugins stay.
EXCLUDED_QT_PLUGIN_DIRS = (
    "designer",
    "networkinformation",
    "qmltooling",
    "sqldrivers",
    "tls",
    "wayland-graphics-integration-server",
)

#: Single Qt plugins left out: the GTK 3 theme needs the target's own GTK libraries and
#: would mix them with the older cairo/pango PyInstaller copies from the build machine;
#: without it Qt uses its own theme (the app sets its style itself).
EXCLUDED_QT_PLUGINS = ("libqgtk3.so",)

#: The GTK/cairo/pango stack PyInstaller collects only because libqgtk3.so links it
#: (checked with objdump: nothing else in the bundle needs these). Left out with the plugin.
GTK_THEME_LIBRARIES = frozenset(
    {
        "libatk-1.0.so.0",
        "libcairo-gobject.so.2",
        "libcairo.so.2",
        "libdatrie.so.1",
        "libfribidi.so.0",
        "libgdk_pixbuf-2.0.so.0",
        "libgraphite2.so.3",
        "libharfbuzz.so.0",
        "libjpeg.so.62",
        "libpango-1.0.so.0",
        "libpangocairo-1.0.so.0",
        "libpangoft2-1.0.so.0",
        "libpixman-1.so.0",
        "libthai.so.0",
        "libXext.so.6",
        "libXrender.so.1",
    }
)

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'1.2.3' -> (1, 2, 3, 0): the four numbers of a Windows file version."""
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"version must be MAJOR.MINOR.PATCH, not {version!r}")
    major, minor, patch = (int(part) for part in match.groups())
    return (major, minor, patch, 0)


def windows_version_text(version: str) -> str:
    """A PyInstaller version-resource file (shown in Explorer's Properties > Details)."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": APP_NAME,
        "FileVersion": version,
        "InternalName": EXE_NAME,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{EXE_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
        "Comments": DESCRIPTION,
    }
    string_structs = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def macos_info_plist(version: str) -> dict[str, object]:
    """Info.plist values for the macOS app bundle (merged into PyInstaller's defaults)."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundlePackageType": "APPL",
        "LSApplicationCategoryType": "public.app-category.medical",
        "LSMinimumSystemVersion": "12.0",
        "NSHighResolutionCapable": True,
        "NSHumanReadableCopyright": COPYRIGHT,
        "NSRequiresAquaSystemAppearance": False,
    }


def keep_qt_file(destination: str) -> bool:
    """False for Qt's translations (the app installs no QTranslator, so they are never
    loaded) and for a plugin in EXCLUDED_QT_PLUGIN_DIRS or EXCLUDED_QT_PLUGINS."""
    parts = destination.replace("\\", "/").split("/")
    if "PySide6" in parts and "translations" in parts:
        return False
    if "plugins" not in parts:
        return True
    after = parts[parts.index("plugins") + 1 :]
    if after and after[0] in EXCLUDED_QT_PLUGIN_DIRS:
        return False
    return parts[-1] not in EXCLUDED_QT_PLUGINS


def keep_binary(destination: str) -> bool:
    """keep_qt_file, and False for a library of GTK_THEME_LIBRARIES at the bundle's top."""
    return keep_qt_file(destination) and destination not in GTK_THEME_LIBRARIES
