"""Native llama.cpp as the anchor of the engine benchmark: builds ``llama-bench`` (one stream, and prompt
prefill) and ``llama-batched-bench`` (several streams decoded together, the anchor of five seats) from the
llama.cpp that the installed llama-cpp-python vendors, with the app's build flags, and runs them.

The build is cached outside the repository, in ``$XDG_CACHE_HOME/council-desktop/llama-bench/`` (by
default ``~/.cache/…``), keyed by the llama-cpp-python version and the flags, so it happens once (a few
minutes on 2 cores). The source is the sdist of exactly that version, fetched with pip. The flags are
``$CMAKE_ARGS`` as the app's install used it (``-DGGML_NATIVE=OFF``: the portable build the app ships;
a ``-march=native`` build would not compare like with like), plus switches that leave out what
llama-bench does not need.

Run: .venv/bin/python scripts/bench/native.py [--print-path] [--threads N] [--tokens 128]
Needs: cmake, a C/C++ compiler (as the app's own install does), and network access for the sdist.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import shlex
import subprocess
import sys
import tarfile
from pathlib import Path

APP_FLAGS = os.environ.get("CMAKE_ARGS", "-DGGML_NATIVE=OFF")
# As llama-cpp-python's own build sets them (Release, shared libraries, no curl), plus the tool alone.
EXTRA_FLAGS = ("-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF "
               "-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TOOLS=ON")


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "council-desktop" / "llama-bench" / importlib.metadata.version("llama-cpp-python")


def build_dir() -> Path:
    key = hashlib.sha256(f"{APP_FLAGS} {EXTRA_FLAGS}".encode()).hexdigest()[:10]
    return cache_dir() / f"build-{key}"


def _log(msg: str) -> None:
    sys.stderr.write(f"native: {msg}\n")


def ensure_llama_bench(tool: str = "llama-bench") -> Path:
    """The path of the cached ``tool`` (llama-bench or llama-batched-bench), built first when missing."""
    root = cache_dir()
    build = build_dir()
    binary = build / "bin" / tool
    if binary.is_file():
        return binary
    root.mkdir(parents=True, exist_ok=True)
    version = importlib.metadata.version("llama-cpp-python")
    src = root / f"llama_cpp_python-{version}"
    if not (src / "vendor" / "llama.cpp" / "CMakeLists.txt").is_file():
        _log(f"fetching the llama-cpp-python {version} sdist (its vendored llama.cpp) with pip")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", "llama-cpp-python",
                        "-q", "-d", str(root / "sdist"), f"llama-cpp-python=={version}"],
                       check=True)
        archive = next((root / "sdist").glob("llama_cpp_python-*.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(root, filter="data")
    llama = src / "vendor" / "llama.cpp"
    flags = shlex.split(APP_FLAGS) + shlex.split(EXTRA_FLAGS)
    _log(f"building {tool} from {llama} with {' '.join(flags)} (once; a few minutes)")
    subprocess.run(["cmake", "-S", str(llama), "-B", str(build), *flags], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(build), "--target", tool, "-j", str(os.cpu_count() or 2)],
                   check=True, stdout=subprocess.DEVNULL)
    if not binary.is_file():
        raise SystemExit(f"the build did not produce {binary}")
    return binary


def llama_bench_tg(model: Path, threads: int, tokens: int, repeats: int = 3) -> float:
    """Native generation speed (tok/s): llama-bench's tg test, no prompt, ``threads`` threads."""
    binary = ensure_llama_bench()
    out = subprocess.run([str(binary), "-m", str(model), "-p", "0", "-n", str(tokens), "-t", str(threads),
                          "-r", str(repeats), "-o", "json"], check=True, capture_output=True, text=True)
    rows = json.loads(out.stdout)
    return float(rows[0]["avg_ts"])


def llama_bench_pp(model: Path, threads: int, tokens: int, repeats: int = 3) -> float:
    """Native prompt prefill speed (tok/s): llama-bench's pp test, ``threads`` threads."""
    binary = ensure_llama_bench()
    out = subprocess.run([str(binary), "-m", str(model), "-p", str(tokens), "-n", "0", "-t", str(threads),
                          "-r", str(repeats), "-o", "json"], check=True, capture_output=True, text=True)
    return float(json.loads(out.stdout)[0]["avg_ts"])


def batched_tg(model: Path, threads: int, parallel: int, tokens: int, prompt: int = 32,
               ctx: int = 1024) -> float:
    """Native generation speed of ``parallel`` streams decoded together (tok/s, all streams):
    llama-batched-bench with one KV stream per sequence (``-no-kvu``), as the engine's context has, each
    sequence holding ``ctx`` tokens of context as an engine seat does."""
    binary = ensure_llama_bench("llama-batched-bench")
    out = subprocess.run([str(binary), "-m", str(model), "-c", str(ctx * parallel), "-npp", str(prompt),
                          "-ntg", str(tokens), "-npl", str(parallel), "-t", str(threads), "-tb", str(threads),
                          "-no-kvu", "--output-format", "jsonl"], check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return float(rows[-1]["speed_tg"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--print-path", action="store_true", help="build if needed, print the binary's path")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--model", type=Path, default=None)
    args = ap.parse_args()
    binary = ensure_llama_bench()
    if args.print_path:
        print(binary)
        return
    from council_desktop.llm.catalogue import starter_model_path

    model = args.model or starter_model_path()
    print(f"native llama-bench tg{args.tokens}, {args.threads} threads: "
          f"{llama_bench_tg(model, args.threads, args.tokens):.1f} tok/s")


if __name__ == "__main__":
    main()
