"""Genuine, tiny Argos packages for tests, and a loopback HTTP server to serve them.

``build_package`` writes a real ``.argosmodel``: a zip with one top folder holding
``metadata.json``, ``model/`` (a CTranslate2 Transformer, int8, shared vocabulary) and
``sentencepiece.model``. The weights are random (seeded), so the model loads and decodes like any
Argos model but its output is meaningless: use it for store/engine mechanics, never for quality.
Building one takes a few tens of milliseconds.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from service.languages import LANGUAGES

LANG_NAMES = {code: language.name for code, language in LANGUAGES.items()}

# A few dozen lines in the three scripts so every test sentence tokenizes without many unknowns.
_CORPUS = (
    [f"The minister met the delegation in Pyongyang on day {i} of the visit." for i in range(12)]
    + [f"Kim Jong Un inspected factory number {i} and spoke with workers." for i in range(12)]
    + [f"평양에서 {i}번째 회의가 열렸다. 김정은 위원장은 공장을 방문했다." for i in range(12)]
    + [f"Министр встретился с делегацией в Москве {i} мая. Ким Чен Ын посетил завод." for i in range(12)]
    + ["Hello world.", "안녕하세요.", "Привет, мир."]
)
# Placeholders kept atomic, as in the demo models, so term-protection code can be exercised.
PLACEHOLDERS = [f"⟦{i}⟧" for i in range(4)]

_D_MODEL, _FFN, _HEADS = 16, 32, 2
# A positive bias on </s> in the output projection makes the random decoder stop after a few
# tokens instead of running to max_decoding_length (256) on every call.
_EOS_BIAS = 2.5


@functools.lru_cache(maxsize=1)
def _sentencepiece_model() -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_CORPUS),
        model_writer=buf,
        vocab_size=160,
        model_type="bpe",
        character_coverage=1.0,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=3,
        user_defined_symbols=PLACEHOLDERS,
        hard_vocab_limit=False,
        split_digits=True,
        num_threads=1,
        minloglevel=2,
    )
    return buf.getvalue()


def _vocabulary(sp_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _transformer_spec_class():
    """``ctranslate2.specs`` imports torch when it can (3 s here) though numpy weights need none of
    it; hide torch during that import unless something already loaded it."""
    import sys

    if "ctranslate2.specs" not in sys.modules and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail fast
        try:
            import ctranslate2.specs  # noqa: F401  (loaded once here, torch hidden)
        finally:
            del sys.modules["torch"]
    from ctranslate2.specs import TransformerSpec

    return TransformerSpec


def _write_ctranslate2_model(model_dir: Path, vocab: list[str], seed: int) -> None:
    TransformerSpec = _transformer_spec_class()

    rng = np.random.default_rng(seed)
    d, ffn, v = _D_MODEL, _FFN, len(vocab)

    def weights(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) * 0.3).astype(np.float32)

    def linear(layer, rows: int, cols: int) -> None:
        layer.weight = weights(rows, cols)
        layer.bias = np.zeros(rows, np.float32)

    def norm(layer) -> None:
        layer.gamma = np.ones(d, np.float32)
        layer.beta = np.zeros(d, np.float32)

    spec = TransformerSpec.from_config((1, 1), _HEADS, pre_norm=True)
    spec.config.layer_norm_epsilon = 1e-5
    spec.encoder.embeddings[0].weight = weights(v, d)
    spec.decoder.embeddings.weight = weights(v, d)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)  # Q, K, V concatenated
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, d)
        linear(layer.ffn.linear_1, d, ffn)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)  # Q
        linear(layer.attention.linear[1], 2 * d, d)  # K, V concatenated
        linear(layer.attention.linear[2], d, d)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, d)
        linear(layer.ffn.linear_1, d, ffn)
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    # A separate (untied) projection: a tied random one tends to emit <s> forever.
    linear(spec.decoder.projection, v, d)
    spec.decoder.projection.bias[vocab.index("</s>")] = _EOS_BIAS
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)  # same pieces -> shared_vocabulary.json
    spec.validate()
    spec.optimize(quantization="int8")
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))


def package_stem(from_code: str, to_code: str, version: str = "1.0", demo: bool = False) -> str:
    """Argos-style name: ``translate-en_ko-1_0`` (``translate-en_ko-demo`` for demo packages)."""
    suffix = "demo" if demo else version.replace(".", "_")
    return f"translate-{from_code}_{to_code}-{suffix}"


def metadata_for(
    from_code: str, to_code: str, *, version: str = "1.0", demo: bool = False
) -> dict:
    meta = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": LANG_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANG_NAMES.get(to_code, to_code),
        "type": "translate",
        "package_name": f"Test {from_code}->{to_code} (random weights)",
    }
    if demo:
        meta["glossa_demo"] = True
    return meta


def build_package_dir(
    out_dir: Path,
    from_code: str = "en",
    to_code: str = "ko",
    *,
    seed: int = 0,
    version: str = "1.0",
    demo: bool = False,
) -> Path:
    """Write an unzipped package directory (as it looks once installed) and return its path."""
    pkg_dir = Path(out_dir) / package_stem(from_code, to_code, version, demo)
    pkg_dir.mkdir(parents=True, exist_ok=False)
    sp_bytes = _sentencepiece_model()
    (pkg_dir / "sentencepiece.model").write_bytes(sp_bytes)
    _write_ctranslate2_model(pkg_dir / "model", _vocabulary(sp_bytes), seed)
    meta = metadata_for(from_code, to_code, version=version, demo=demo)
    (pkg_dir / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    (pkg_dir / "README.md").write_text("Test package with random weights.\n", encoding="utf-8")
    return pkg_dir


def zip_package_dir(pkg_dir: Path, archive: Path) -> Path:
    """Zip a package directory as Argos does: one top folder named like the directory."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(pkg_dir.rglob("*")):
            zf.write(path, Path(pkg_dir.name) / path.relative_to(pkg_dir))
    return archive


def build_package(
    out_dir: Path,
    from_code: str = "en",
    to_code: str = "ko",
    *,
    seed: int = 0,
    version: str = "1.0",
    demo: bool = False,
) -> Path:
    """Write ``<out_dir>/<stem>.argosmodel`` (a genuine Argos package) and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="glossa-pkg-") as tmp:
        pkg_dir = build_package_dir(
            Path(tmp), from_code, to_code, seed=seed, version=version, demo=demo
        )
        archive = out_dir / f"{pkg_dir.name}.argosmodel"
        return zip_package_dir(pkg_dir, archive)


def index_entry(archive: Path, base_url: str, **extra) -> dict:
    """One Argos index record (package metadata plus ``links``) for an archive served at base_url."""
    with zipfile.ZipFile(archive) as zf:
        top = zf.namelist()[0].split("/")[0]
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    meta["links"] = [f"{base_url.rstrip('/')}/{archive.name}"]
    meta.update(extra)
    return meta


class _Handler(http.server.SimpleHTTPRequestHandler):
    truncated: frozenset[str] = frozenset()
    log: list[str] | None = None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        name = self.path.split("?", 1)[0].lstrip("/")
        if self.log is not None:
            self.log.append(name)
        if name in self.truncated:
            # Announce the whole file, send half, hang up: what a dropped connection looks like.
            data = (Path(self.directory) / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@contextlib.contextmanager
def serve_directory(
    directory: Path, *, truncated: set[str] | frozenset[str] = frozenset(), log: list[str] | None = None
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL with '/'.

    Files named in ``truncated`` are cut off halfway (with the full Content-Length announced);
    requested paths are appended to ``log`` when one is given.
    """
    handler_class = type("Handler", (_Handler,), {"truncated": frozenset(truncated), "log": log})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def build_archive_set(out_dir: Path) -> dict[str, Path]:
    """The archives most store tests need, keyed ``"en-ko"``, ``"en-ko@1.1"``, ``"en-ko-demo"``...

    Official-looking packages for the four pivot pairs (plus a newer en->ko), and demo packages
    for the same pairs named as ``models/demo`` names them.
    """
    out_dir = Path(out_dir)
    archives: dict[str, Path] = {}
    pairs = [("en", "ko"), ("ko", "en"), ("en", "ru"), ("ru", "en")]
    for i, (src, tgt) in enumerate(pairs):
        archives[f"{src}-{tgt}"] = build_package(out_dir / "official", src, tgt, seed=i)
        archives[f"{src}-{tgt}-demo"] = build_package(out_dir / "demo", src, tgt, seed=10 + i, demo=True)
    archives["en-ko@1.1"] = build_package(out_dir / "newer", "en", "ko", seed=20, version="1.1")
    return archives
