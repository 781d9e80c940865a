"""PyInstaller hook for llama-cpp-python.

llama_cpp loads ``llama_cpp/lib/libllama.so`` (and libggml, libmtmd) by path with ctypes, so the
import analysis never sees them (docs/ARCHITECTURE.md, "Traps already found"): collect them into the same folder, where the
libraries' ``$ORIGIN`` run-path finds one another. The wheel stores each library three times (``.so``,
``.so.0``, ``.so.0.x.y``: symlinks flattened into copies); the fully versioned copy is never opened by
anything, so it is left out (about 8 MB).
"""

from __future__ import annotations

import re

from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs

_UNUSED_COPY = re.compile(r"\.so\.\d+\.\d+(\.\d+)*$")  # libllama.so.0.5.0: neither loaded nor a SONAME

binaries = [(src, dest) for src, dest in collect_dynamic_libs("llama_cpp") if not _UNUSED_COPY.search(src)]
# Non-code files of the package (py.typed and whatever a later release adds); the libraries are binaries
# above and the optional OpenAI-compatible server is not part of the app.
datas = collect_data_files("llama_cpp", excludes=["**/*.so", "**/*.so.*", "**/*.dylib", "**/*.dll", "server/**"])
# The engine turns JSON schemas into grammars with this module; it is imported inside a function.
hiddenimports = ["llama_cpp.llama_grammar"]
# The server needs FastAPI and friends, which the app does not ship.
excludedimports = ["llama_cpp.server"]
