#!/usr/bin/env python3
"""Build an Argos-sized translation package with random, seeded weights, for speed benchmarks only.

    python -m scripts.bench_models [--out bench-out] [--pairs en-ru,en-ko] [--small]

What it writes under ``--out`` (git-ignored ``bench-out/`` by default):

- ``sentencepiece.model``: a BPE vocabulary trained on local text (the demo corpus in three
  languages, the language-identification set, the docs), padded with inert pieces to the
  Argos size (32,000) so that the output projection costs what a real model's does;
- ``translate-<src>_<tgt>-bench.argosmodel`` per pair: the real Argos layout (``metadata.json``,
  ``model/`` CTranslate2 int8, ``sentencepiece.model``, ``minisbd/<src>.onnx``, README) around the
  SAME random Transformer (6+6 layers, d_model 512, 8 heads, FFN 2048, pre-norm);
- ``packages/``: those packages installed (argostranslate's layout) for every contender.

The weights are random: outputs are garbage and must never be read as quality. The decoder
has its own output projection (a tied one makes a random decoder repeat ``<s>``), and the
projection's bias for ``</s>`` and ``<s>`` is very negative, so every output runs to the
``max_decoding_length`` it is given: the benchmark bounds that the same way for every contender.

``minisbd/<src>.onnx`` is a tiny rule-based sentence splitter (a split after . ! ? … 。 followed by
a space or the end of the paragraph), in the ONNX format argostranslate's MiniSBD reads; without
it argostranslate downloads a splitter on every call and fails offline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from service.languages import LANGUAGES

REPO = Path(__file__).resolve().parent.parent

DEFAULT_OUT = REPO / "bench-out"
DEFAULT_PAIRS = (("en", "ru"), ("en", "ko"))
LANG_NAMES = {code: language.name for code, language in LANGUAGES.items()}
PAD_PREFIX = "\ue000"  # private-use: padded pieces never match real text
SENTENCE_END = ".!?…。？！"


@dataclass(frozen=True)
class Shape:
    enc_layers: int = 6
    dec_layers: int = 6
    d_model: int = 512
    heads: int = 8
    ffn: int = 2048
    vocab: int = 32_000
    trained_vocab: int = 8_000  # what BPE learns from the local text; the rest is padding
    seed: int = 20241119

    @classmethod
    def small(cls) -> Shape:
        """A seconds-to-build configuration for smoke tests."""
        return cls(enc_layers=1, dec_layers=1, d_model=64, heads=2, ffn=128, vocab=1200, trained_vocab=600)


# --- SentencePiece ------------------------------------------------------------------------------


def local_text(limit_chars: int = 3_000_000) -> list[str]:
    """News-like sentences in en/ko/ru and other local text to learn a shared vocabulary from."""
    from scripts import demo_corpus  # deferred: only when a vocabulary is trained

    lines: list[str] = []
    for triple in demo_corpus.triples(6000, seed=7, placeholder_rate=0.0):
        lines.extend(triple)
    eval_tsv = REPO / "data" / "langid" / "eval.tsv"
    if eval_tsv.exists():
        for row in eval_tsv.read_text(encoding="utf-8").splitlines()[1:]:
            lines.append(row.split("\t", 1)[0] if "\t" in row else row)
    for doc in sorted((REPO / "docs").glob("*.md")) + [REPO / "README.md"]:
        if doc.exists():
            lines.extend(line for line in doc.read_text(encoding="utf-8").splitlines() if line.strip())
    out, total = [], 0
    for line in lines:
        total += len(line)
        if total > limit_chars:
            break
        out.append(line)
    return out


def train_sentencepiece(shape: Shape, out: Path) -> Path:
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    with tempfile.TemporaryDirectory(prefix="glossa-bench-sp-") as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("\n".join(local_text()) + "\n", encoding="utf-8")
        prefix = Path(tmp) / "sp"
        spm.SentencePieceTrainer.train(
            input=str(corpus), model_prefix=str(prefix), model_type="bpe",
            vocab_size=shape.trained_vocab, character_coverage=0.9995, split_digits=True,
            unk_id=0, bos_id=1, eos_id=2, pad_id=3, num_threads=2, minloglevel=2,
            input_sentence_size=200_000, shuffle_input_sentence=True, seed_sentencepiece_size=200_000,
        )
        proto = model_pb2.ModelProto()
        proto.ParseFromString(prefix.with_suffix(".model").read_bytes())
    # Pad to the Argos vocabulary size: the random decoder can emit these, SentencePiece
    # decodes them to private-use characters, and no real text ever encodes to them.
    lowest = min(p.score for p in proto.pieces)
    for i in range(len(proto.pieces), shape.vocab):
        piece = proto.pieces.add()
        piece.piece = f"{PAD_PREFIX}{i}"
        piece.score = lowest - 1.0 - i * 1e-3
        piece.type = model_pb2.ModelProto.SentencePiece.Type.NORMAL
    path = out / "sentencepiece.model"
    path.write_bytes(proto.SerializeToString())
    return path


# --- the random Transformer -------------------------------------------------------------------


def write_ctranslate2(shape: Shape, pieces: list[str], out_dir: Path) -> None:
    import ctranslate2
    import numpy as np

    rng = np.random.default_rng(shape.seed)
    d, f = shape.d_model, shape.ffn

    def mat(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols), dtype=np.float32) / np.sqrt(cols)).astype(np.float32)

    def vec(n: int, value: float = 0.0) -> np.ndarray:
        return np.full(n, value, dtype=np.float32)

    def norm(spec) -> None:
        spec.gamma, spec.beta = vec(d, 1.0), vec(d)

    def linear(spec, rows: int, cols: int) -> None:
        spec.weight, spec.bias = mat(rows, cols), vec(rows)

    def ffn(spec) -> None:
        norm(spec.layer_norm)
        linear(spec.linear_0, f, d)
        linear(spec.linear_1, d, f)

    spec = ctranslate2.specs.TransformerSpec.from_config(
        (shape.enc_layers, shape.dec_layers), shape.heads, pre_norm=True)
    spec.config.layer_norm_epsilon = 1e-5
    vocab = len(pieces)
    spec.encoder.embeddings[0].weight = mat(vocab, d)
    spec.decoder.embeddings.weight = mat(vocab, d)
    # A separate projection: tied to the embeddings, a random decoder repeats <s> forever.
    spec.decoder.projection.weight = mat(vocab, d)
    bias = vec(vocab)
    bias[1] = bias[2] = -1e4  # never <s> or </s>: every output runs to max_decoding_length
    spec.decoder.projection.bias = bias
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        ffn(layer.ffn)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        linear(layer.attention.linear[2], d, d)
        ffn(layer.ffn)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(out_dir))


# --- MiniSBD sentence splitter ----------------------------------------------------------------


def write_minisbd(path: Path, lang: str) -> None:
    """A rule-based MiniSBD model: class 2 (sentence end) at sentence punctuation followed by a
    space or the paragraph end, class 0 elsewhere. Inputs and metadata as MiniSBD expects."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    units = ["<PAD>", "<UNK>", " ", *SENTENCE_END]
    punct_ids = np.arange(3, len(units), dtype=np.int64)
    consts = [
        numpy_helper.from_array(punct_ids, "punct_ids"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "space_id"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "pad_id"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one_i"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero_i"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        numpy_helper.from_array(np.array([np.iinfo(np.int64).max], dtype=np.int64), "big"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one_f"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero_f"),
    ]
    n = helper.make_node
    nodes = [
        # is_punct[b, t] = units[b, t] in punct_ids
        n("Unsqueeze", ["units", "last_axis"], ["units3"]),
        n("Equal", ["units3", "punct_ids"], ["eq_any"]),
        n("Cast", ["eq_any"], ["eq_any_f"], to=TensorProto.FLOAT),
        n("ReduceMax", ["eq_any_f"], ["is_punct"], axes=[-1], keepdims=0),
        # next[b, t] = units[b, t + 1], PAD after the last character
        n("Slice", ["units", "one_i", "big", "axis1"], ["tail"]),
        n("Slice", ["units", "zero_i", "one_i", "axis1"], ["first_col"]),
        n("Mul", ["first_col", "pad_id"], ["pad_col"]),
        n("Concat", ["tail", "pad_col"], ["next"], axis=1),
        n("Equal", ["next", "space_id"], ["next_space"]),
        n("Equal", ["next", "pad_id"], ["next_pad"]),
        n("Or", ["next_space", "next_pad"], ["next_gap"]),
        n("Cast", ["next_gap"], ["next_gap_f"], to=TensorProto.FLOAT),
        n("Mul", ["is_punct", "next_gap_f"], ["split"]),
        n("Sub", ["one_f", "split"], ["keep"]),
        n("Mul", ["split", "zero_f"], ["zeros"]),
        n("Unsqueeze", ["keep", "last_axis"], ["c0"]),
        n("Unsqueeze", ["zeros", "last_axis"], ["c1"]),
        n("Unsqueeze", ["split", "last_axis"], ["c2"]),
        n("Concat", ["c0", "c1", "c2", "c1", "c1"], ["logits"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "glossa_rule_sbd",
        [helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "time"]),
         helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "time", "feats"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "time", 5])],
        initializer=consts,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="glossa-bench")
    model.ir_version = 8  # readable by every onnxruntime MiniSBD supports
    vocab = {"lang": lang, "idx": 0, "cutoff": 0, "lower": False,
             "_unit2id": {u: i for i, u in enumerate(units)}, "_id2unit": units}
    config = {"feat_funcs": ["space_before"], "use_dictionary": False, "max_seqlen": 1000,
              "batch_size": 32, "skip_newline": False, "no_ssplit": False}
    for key, value in (("lang_code", lang), ("config", json.dumps(config)),
                       ("vocab", json.dumps(vocab, ensure_ascii=False)), ("lexicon", "null")):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())


# --- packages ---------------------------------------------------------------------------------


def package_name(src: str, tgt: str) -> str:
    return f"translate-{src}_{tgt}-bench"


README = """# {name}: Glossa benchmark model ({src} -> {tgt}), RANDOM WEIGHTS

Not a translation model: an Argos-sized Transformer ({shape}) with random, seeded weights, built by
`scripts/bench_models.py` to measure speed. Its outputs are garbage; never report quality from it.
"""


def write_package(src: str, tgt: str, shape: Shape, model_dir: Path, sp_path: Path, out: Path) -> Path:
    name = package_name(src, tgt)
    metadata = {
        "package_version": "0.0", "argos_version": "1.9", "from_code": src, "to_code": tgt,
        "from_name": LANG_NAMES[src], "to_name": LANG_NAMES[tgt],
        "package_name": f"Glossa BENCH {LANG_NAMES[src]}-{LANG_NAMES[tgt]} (random weights, speed only)",
        "description": "Argos-sized Transformer with random weights for benchmarks; outputs are garbage.",
        "type": "translate", "glossa_bench": True, "bench_shape": asdict(shape),
    }
    target = out / f"{name}.argosmodel"
    partial = target.with_suffix(".argosmodel.partial")
    with tempfile.TemporaryDirectory(prefix="glossa-bench-pkg-") as tmp:
        sbd = Path(tmp) / f"{src}.onnx"
        write_minisbd(sbd, src)
        files = {
            "metadata.json": (json.dumps(metadata, indent=2) + "\n").encode(),
            "README.md": README.format(name=name, src=src, tgt=tgt, shape=_describe(shape)).encode(),
            "sentencepiece.model": sp_path.read_bytes(),
            f"minisbd/{src}.onnx": sbd.read_bytes(),
        }
        files.update({f"model/{p.name}": p.read_bytes() for p in sorted(model_dir.iterdir())})
        with zipfile.ZipFile(partial, "w") as zf:
            for dirname in ("", "model/", "minisbd/"):
                zf.writestr(zipfile.ZipInfo(f"{name}/{dirname}", date_time=(2024, 6, 19, 0, 0, 0)), b"")
            for arcname, data in files.items():
                info = zipfile.ZipInfo(f"{name}/{arcname}", date_time=(2024, 6, 19, 0, 0, 0))
                info.external_attr = 0o644 << 16
                # The int8 weights barely compress; storing them keeps the build fast.
                info.compress_type = zipfile.ZIP_STORED if arcname == "model/model.bin" else zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
    partial.replace(target)
    return target


def _describe(shape: Shape) -> str:
    return (f"{shape.enc_layers}+{shape.dec_layers} layers, d_model {shape.d_model}, {shape.heads} heads, "
            f"FFN {shape.ffn}, vocabulary {shape.vocab}, int8")


def install(archives: list[Path], packages_dir: Path) -> list[Path]:
    """Unpack the archives into an argostranslate package directory (replacing older copies)."""
    packages_dir.mkdir(parents=True, exist_ok=True)
    installed = []
    for archive in archives:
        with zipfile.ZipFile(archive) as zf:
            top = zf.namelist()[0].split("/", 1)[0]
            shutil.rmtree(packages_dir / top, ignore_errors=True)
            zf.extractall(packages_dir)
        installed.append(packages_dir / top)
    return installed


def build(out: Path = DEFAULT_OUT, pairs: tuple[tuple[str, str], ...] = DEFAULT_PAIRS,
          shape: Shape = Shape(), *, log=print) -> list[Path]:
    """Build (or reuse, when the same shape was built before) and install the bench packages.
    Returns the installed package directories."""
    out.mkdir(parents=True, exist_ok=True)
    packages_dir = out / "packages"
    stamp = out / "bench-model.json"
    wanted = {"shape": asdict(shape), "pairs": [list(p) for p in pairs]}
    archives = [out / f"{package_name(s, t)}.argosmodel" for s, t in pairs]
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and all(a.exists() for a in archives) \
            and all((packages_dir / package_name(s, t)).exists() for s, t in pairs):
        log(f"bench model up to date in {out} ({_describe(shape)})")
        return [packages_dir / package_name(s, t) for s, t in pairs]
    started = time.perf_counter()
    sp_path = train_sentencepiece(shape, out)
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    log(f"SentencePiece: {shape.trained_vocab} BPE pieces learned from local text, padded to {len(pieces)} "
        f"({time.perf_counter() - started:.1f} s)")
    with tempfile.TemporaryDirectory(prefix="glossa-bench-ct2-", dir=out) as tmp:
        model_dir = Path(tmp) / "model"
        model_dir.mkdir()
        write_ctranslate2(shape, pieces, model_dir)
        size = (model_dir / "model.bin").stat().st_size
        log(f"CTranslate2 model ({_describe(shape)}): model.bin {size / 1e6:.1f} MB "
            f"({time.perf_counter() - started:.1f} s)")
        for src, tgt in pairs:
            write_package(src, tgt, shape, model_dir, sp_path, out)
    installed = install(archives, packages_dir)
    stamp.write_text(json.dumps(wanted, indent=2) + "\n")
    log(f"installed {', '.join(p.name for p in installed)} into {packages_dir} "
        f"({time.perf_counter() - started:.1f} s in all)")
    return installed


def parse_pairs(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in text.split(","):
        src, sep, tgt = item.strip().partition("-")
        if not sep or src not in LANG_NAMES or tgt not in LANG_NAMES or src == tgt:
            raise argparse.ArgumentTypeError(f"bad pair {item!r}: use e.g. en-ru,en-ko")
        pairs.append((src, tgt))
    return tuple(pairs)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (git-ignored bench-out/)")
    parser.add_argument("--pairs", type=parse_pairs, default=DEFAULT_PAIRS, help="e.g. en-ru,en-ko")
    parser.add_argument("--small", action="store_true", help="a tiny shape that builds in seconds (smoke tests)")


def run(args: argparse.Namespace) -> int:
    build(args.out, args.pairs, Shape.small() if args.small else Shape())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
