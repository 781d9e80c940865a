#!/usr/bin/env sh
# Adds Council Desktop to this user's application menu (run it from the unpacked bundle; no root needed).
# Undo with: ./install-linux.sh --uninstall
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
ENTRY="$DATA/applications/council-desktop.desktop"
ICON="$DATA/icons/hicolor/256x256/apps/council-desktop.png"
if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$ENTRY" "$ICON"
    echo "removed $ENTRY and $ICON"
    exit 0
fi
[ -x "$HERE/council-desktop" ] || { echo "run this script from the council-desktop folder" >&2; exit 1; }
mkdir -p "$(dirname "$ENTRY")" "$(dirname "$ICON")"
cp "$HERE/council-desktop.png" "$ICON"
# The menu needs the absolute path of this copy of the app.
sed -e "s|^Exec=.*|Exec=\"$HERE/council-desktop\"|" -e "s|^TryExec=.*|TryExec=$HERE/council-desktop|" \
    "$HERE/council-desktop.desktop" > "$ENTRY"
chmod 0644 "$ENTRY"
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$DATA/applications" || true; fi
echo "installed $ENTRY (Exec: $HERE/council-desktop)"
