"""huggingface_hub reads HF_ENDPOINT at import time: run the metadata call and a download in a fresh process
pointed at the local hub, with no endpoint argument at all."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from fakehub import FakeHub

from council_desktop.downloads import hub_url
from council_desktop.llm.catalogue import custom_spec

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import json, sys
from pathlib import Path
from council_desktop.downloads import download, fetch_metadata  # first, as the app does: it sets the hub's env
import huggingface_hub.constants as c
from council_desktop.llm.catalogue import custom_spec
spec = custom_spec("council-test/Tiny-GGUF", "tiny-q4.gguf", "chatml")
meta = fetch_metadata(spec, token=False)
path = download(spec, Path(sys.argv[1]), token=False, retries=1, backoff_s=0.01)
print(json.dumps({"endpoint": c.ENDPOINT, "xet_disabled": c.HF_HUB_DISABLE_XET, "url": meta.url,
                  "size": meta.size, "sha256": meta.sha256, "commit": meta.commit, "path": str(path)}))
"""


def test_hf_endpoint_is_honoured_for_metadata_and_download(hub: FakeHub, tmp_path: Path, small_gguf: bytes) -> None:
    hub.host("council-test/Tiny-GGUF", "tiny-q4.gguf", small_gguf)
    env = {**os.environ, "HF_ENDPOINT": hub.url, "PYTHONPATH": str(ROOT), "HF_HUB_DISABLE_TELEMETRY": "1"}
    env.pop("HF_HUB_DISABLE_XET", None)
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "models")], env=env, capture_output=True,
                         text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["endpoint"] == hub.url and got["xet_disabled"] is True
    assert got["url"] == f"{hub.url}/council-test/Tiny-GGUF/resolve/main/tiny-q4.gguf"
    assert got["size"] == len(small_gguf) and got["sha256"] == hashlib.sha256(small_gguf).hexdigest()
    assert got["commit"] == "c0ffee" * 6 + "c0ff"
    assert hashlib.sha256(Path(got["path"]).read_bytes()).hexdigest() == got["sha256"]
    heads = [e for e in hub.log if e["method"] == "HEAD"]
    assert len(heads) == 2 and all(e["path"] == "/council-test/Tiny-GGUF/resolve/main/tiny-q4.gguf" for e in heads)


def test_an_explicit_endpoint_overrides_the_default() -> None:
    spec = custom_spec("council-test/Tiny-GGUF", "tiny q4.gguf".replace(" ", "-"), "chatml")
    assert hub_url(spec, "http://127.0.0.1:9/") == "http://127.0.0.1:9/council-test/Tiny-GGUF/resolve/main/tiny-q4.gguf"
