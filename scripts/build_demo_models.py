"""Train the four tiny demo translation models and write them as genuine Argos packages.

    python -m scripts.build_demo_models --out models/demo [--pairs en-ko,ko-en,en-ru,ru-en]
                                        [--steps 1800] [--seconds 600] [--seed 1]

For each direction: a small pre-norm Transformer (d_model 128, 4 heads, FFN 512, 3+3 layers, tied
embeddings) is trained with torch on CPU on ~30,000 pairs from scripts/demo_corpus.py, converted
to a CTranslate2 int8 model, zipped as ``translate-<from>_<to>-demo.argosmodel`` and evaluated on
held-out sentences with Argos's decoding (beam 4, length_penalty 0.2, replace_unknowns).

These are demo models: they translate the closed synthetic vocabulary of demo_corpus.py and
nothing else. Training needs torch (`pip install -e '.[train]'`); the rest of Glossa never does.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from scripts import demo_corpus
from service.languages import LANGUAGES

LANG_NAMES = {code: language.name for code, language in LANGUAGES.items()}
PLACEHOLDER_SYMBOLS = [demo_corpus.placeholder(i) for i in range(10)]
PACKAGE_VERSION = "1.0"
ARGOS_VERSION = "1.9.0"


@dataclass(frozen=True)
class Hyper:
    d_model: int = 128
    heads: int = 4
    ffn: int = 512
    enc_layers: int = 3
    dec_layers: int = 3
    dropout: float = 0.0  # a few epochs on a closed vocabulary: nothing to regularise, faster to learn
    label_smoothing: float = 0.1
    lr: float = 3e-3
    warmup_steps: int = 150
    batch_tokens: int = 1500
    train_pairs: int = 30000
    vocab_size: int = 2000
    max_len: int = 96  # pieces; longer training sentences are skipped (none are, in practice)


# ---------------------------------------------------------------- SentencePiece

def train_sentencepiece(workdir: Path, seed: int, vocab_size: int) -> Path:
    """One BPE model shared by en/ko/ru, so one vocabulary serves every direction."""
    import sentencepiece as spm

    text = workdir / "spm-corpus.txt"
    with text.open("w", encoding="utf-8") as f:
        for sentence in demo_corpus.sentence_sets(30000, seed):
            # Targets and sources (with their variant spellings) all need good pieces.
            for line in dict.fromkeys(sentence.canonical + sentence.source):
                f.write(line + "\n")
    prefix = workdir / "sentencepiece"
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(prefix), model_type="bpe", vocab_size=vocab_size,
        character_coverage=1.0, byte_fallback=True, split_digits=True,
        user_defined_symbols=PLACEHOLDER_SYMBOLS, unk_id=0, bos_id=1, eos_id=2, pad_id=3,
        hard_vocab_limit=False, num_threads=2, minloglevel=2,
        input_sentence_size=0, shuffle_input_sentence=False,
    )
    return prefix.with_suffix(".model")


# ---------------------------------------------------------------- the model

def build_model(vocab: int, hp: Hyper):
    import torch
    import torch.nn.functional as F
    from torch import nn

    def sinusoids(length: int, dim: int) -> torch.Tensor:
        # CTranslate2's built-in encoding (positions from 1, [sin | cos] halves,
        # timescales 10000^(i/(half-1))): using the same table means no table is stored.
        half = dim // 2
        inv = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / (half - 1))
        pos = torch.arange(1, length + 1, dtype=torch.float32)[:, None] * inv[None, :]
        return torch.cat([torch.sin(pos), torch.cos(pos)], dim=1)

    class Attention(nn.Module):
        def __init__(self, cross: bool) -> None:
            super().__init__()
            self.cross = cross
            d = hp.d_model
            if cross:
                self.q, self.kv = nn.Linear(d, d), nn.Linear(d, 2 * d)
            else:
                self.qkv = nn.Linear(d, 3 * d)
            self.out = nn.Linear(d, d)

        def forward(self, x, memory=None, mask=None):
            b, t, d = x.shape
            if self.cross:
                q = self.q(x)
                k, v = self.kv(memory).chunk(2, dim=-1)
            else:
                q, k, v = self.qkv(x).chunk(3, dim=-1)

            def heads(y):
                return y.view(b, -1, hp.heads, d // hp.heads).transpose(1, 2)

            y = F.scaled_dot_product_attention(heads(q), heads(k), heads(v), attn_mask=mask,
                                               dropout_p=0.0)  # attention dropout: slow on CPU, not needed
            return self.out(y.transpose(1, 2).reshape(b, t, d))

    class FFN(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm = nn.LayerNorm(hp.d_model)
            self.l0, self.l1 = nn.Linear(hp.d_model, hp.ffn), nn.Linear(hp.ffn, hp.d_model)
            self.drop = nn.Dropout(hp.dropout) if hp.dropout else nn.Identity()

        def forward(self, x):
            return x + self.drop(self.l1(F.relu(self.l0(self.norm(x)))))

    class EncoderLayer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm, self.attn, self.ffn = nn.LayerNorm(hp.d_model), Attention(False), FFN()
            self.drop = nn.Dropout(hp.dropout) if hp.dropout else nn.Identity()

        def forward(self, x, mask):
            x = x + self.drop(self.attn(self.norm(x), mask=mask))
            return self.ffn(x)

    class DecoderLayer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm1, self.self_attn = nn.LayerNorm(hp.d_model), Attention(False)
            self.norm2, self.cross_attn = nn.LayerNorm(hp.d_model), Attention(True)
            self.ffn = FFN()
            self.drop = nn.Dropout(hp.dropout) if hp.dropout else nn.Identity()

        def forward(self, x, memory, self_mask, cross_mask):
            x = x + self.drop(self.self_attn(self.norm1(x), mask=self_mask))
            x = x + self.drop(self.cross_attn(self.norm2(x), memory, mask=cross_mask))
            return self.ffn(x)

    class Seq2Seq(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(vocab, hp.d_model)
            nn.init.normal_(self.embed.weight, std=hp.d_model ** -0.5)
            self.enc = nn.ModuleList(EncoderLayer() for _ in range(hp.enc_layers))
            self.dec = nn.ModuleList(DecoderLayer() for _ in range(hp.dec_layers))
            self.enc_norm, self.dec_norm = nn.LayerNorm(hp.d_model), nn.LayerNorm(hp.d_model)
            self.out_bias = nn.Parameter(torch.zeros(vocab))
            self.drop = nn.Dropout(hp.dropout) if hp.dropout else nn.Identity()
            self.register_buffer("pe", sinusoids(512, hp.d_model), persistent=False)

        def embed_tokens(self, ids):
            return self.drop(self.embed(ids) * math.sqrt(hp.d_model) + self.pe[: ids.shape[1]])

        def forward(self, src, tgt_in, pad_id: int):
            src_pad = (src == pad_id)[:, None, None, :]  # True = ignore
            enc_mask = torch.zeros(src_pad.shape, dtype=torch.float32).masked_fill(src_pad, float("-inf"))
            x = self.embed_tokens(src)
            for layer in self.enc:
                x = layer(x, enc_mask)
            memory = self.enc_norm(x)
            t = tgt_in.shape[1]
            causal = torch.full((t, t), float("-inf")).triu(1)[None, None]
            y = self.embed_tokens(tgt_in)
            for layer in self.dec:
                y = layer(y, memory, causal, enc_mask)
            return self.dec_norm(y) @ self.embed.weight.T + self.out_bias

    return Seq2Seq()


# ---------------------------------------------------------------- training

def make_batches(examples: list[tuple[list[int], list[int]]], batch_tokens: int,
                 rng: random.Random) -> list[list[tuple[list[int], list[int]]]]:
    """Batches of similar lengths holding about ``batch_tokens`` padded tokens each."""
    order = sorted(examples, key=lambda e: (len(e[0]), len(e[1]), rng.random()))
    batches, current, longest = [], [], 0
    for ex in order:
        need = max(len(ex[0]), len(ex[1]) + 1)
        grown = max(longest, need)
        if current and grown * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current, grown = [], need
        current.append(ex)
        longest = grown
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def tensors(batch, pad_id: int, bos_id: int, eos_id: int):
    import torch

    s_len = max(len(s) for s, _ in batch)
    t_len = max(len(t) for _, t in batch) + 1
    src = torch.full((len(batch), s_len), pad_id, dtype=torch.long)
    tin = torch.full((len(batch), t_len), pad_id, dtype=torch.long)
    tout = torch.full((len(batch), t_len), pad_id, dtype=torch.long)
    for i, (s, t) in enumerate(batch):
        src[i, : len(s)] = torch.tensor(s)
        tin[i, : len(t) + 1] = torch.tensor([bos_id] + t)
        tout[i, : len(t) + 1] = torch.tensor(t + [eos_id])
    return src, tin, tout


def train_direction(src: str, tgt: str, sp, steps: int, seconds: float, seed: int, hp: Hyper, log):
    """Train for ``steps`` optimizer steps, or until ``seconds`` have passed if that comes first.

    Returns the model (in eval mode) and what the training did (steps, seconds, final loss).
    """
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    rng = random.Random(seed)
    pairs = demo_corpus.generate(src, tgt, hp.train_pairs, seed)
    examples = []
    for s, t in pairs:
        s_ids, t_ids = sp.encode(s), sp.encode(t)
        if len(s_ids) <= hp.max_len and len(t_ids) < hp.max_len:
            examples.append((s_ids, t_ids))
    pad, bos, eos = sp.pad_id(), sp.bos_id(), sp.eos_id()
    model = build_model(sp.get_piece_size(), hp)
    params = sum(p.numel() for p in model.parameters())
    log(f"[{src}->{tgt}] {len(examples)} pairs, {params / 1e6:.2f} M parameters, "
        f"budget {steps} steps / {seconds:.0f} s")
    opt = torch.optim.AdamW(model.parameters(), lr=hp.lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)
    model.train()
    start = time.monotonic()
    step, epoch, smoothed = 0, 0, None
    done = False
    while not done:
        epoch += 1
        for batch in make_batches(examples, hp.batch_tokens, rng):
            elapsed = time.monotonic() - start
            # Progress through whichever budget runs out first: steps (reproducible) or time (a cap
            # for slow or busy machines).
            frac = max(step / steps, elapsed / seconds)
            if frac >= 1.0:
                done = True
                break
            # Warm up, then cosine decay down to 5% of the peak.
            lr = hp.lr * min(1.0, (step + 1) / hp.warmup_steps) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
            for group in opt.param_groups:
                group["lr"] = lr
            s, tin, tout = tensors(batch, pad, bos, eos)
            logits = model(s, tin, pad)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tout.reshape(-1),
                                   ignore_index=pad, label_smoothing=hp.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            smoothed = loss.item() if smoothed is None else 0.95 * smoothed + 0.05 * loss.item()
            if step % 100 == 0:
                log(f"[{src}->{tgt}] step {step} epoch {epoch} loss {smoothed:.3f} lr {lr:.2e} "
                    f"elapsed {elapsed:.0f}s")
    log(f"[{src}->{tgt}] trained {step} steps ({epoch} epochs) in {time.monotonic() - start:.0f}s, "
        f"loss {smoothed:.3f}")
    model.eval()
    final_loss = None if smoothed is None else round(smoothed, 3)
    return model, {"steps": step, "train_seconds": round(time.monotonic() - start), "final_loss": final_loss}


# ---------------------------------------------------------------- conversion and packaging

def to_ctranslate2(model, sp, hp: Hyper, out_dir: Path) -> None:
    import ctranslate2
    import numpy as np

    def arr(t) -> np.ndarray:
        # optimize() quantizes in place: always hand it a private float32 copy.
        return np.array(t.detach().cpu().numpy(), dtype=np.float32, copy=True)

    def norm(spec, ln) -> None:
        spec.gamma, spec.beta = arr(ln.weight), arr(ln.bias)

    def linear(spec, lin) -> None:
        spec.weight, spec.bias = arr(lin.weight), arr(lin.bias)

    def ffn(spec, f) -> None:
        norm(spec.layer_norm, f.norm)
        linear(spec.linear_0, f.l0)
        linear(spec.linear_1, f.l1)

    spec = ctranslate2.specs.TransformerSpec.from_config((hp.enc_layers, hp.dec_layers), hp.heads, pre_norm=True)
    spec.config.layer_norm_epsilon = 1e-5  # torch's LayerNorm default (CTranslate2's is 1e-6)
    spec.encoder.embeddings[0].weight = arr(model.embed.weight)
    spec.decoder.embeddings.weight = arr(model.embed.weight)
    spec.decoder.projection.weight = arr(model.embed.weight)
    spec.decoder.projection.bias = arr(model.out_bias)
    norm(spec.encoder.layer_norm, model.enc_norm)
    norm(spec.decoder.layer_norm, model.dec_norm)
    for layer_spec, layer in zip(spec.encoder.layer, model.enc):
        norm(layer_spec.self_attention.layer_norm, layer.norm)
        linear(layer_spec.self_attention.linear[0], layer.attn.qkv)
        linear(layer_spec.self_attention.linear[1], layer.attn.out)
        ffn(layer_spec.ffn, layer.ffn)
    for layer_spec, layer in zip(spec.decoder.layer, model.dec):
        norm(layer_spec.self_attention.layer_norm, layer.norm1)
        linear(layer_spec.self_attention.linear[0], layer.self_attn.qkv)
        linear(layer_spec.self_attention.linear[1], layer.self_attn.out)
        norm(layer_spec.attention.layer_norm, layer.norm2)
        linear(layer_spec.attention.linear[0], layer.cross_attn.q)
        linear(layer_spec.attention.linear[1], layer.cross_attn.kv)
        linear(layer_spec.attention.linear[2], layer.cross_attn.out)
        ffn(layer_spec.ffn, layer.ffn)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(out_dir))


def package_name(src: str, tgt: str) -> str:
    return f"translate-{src}_{tgt}-demo"


def metadata(src: str, tgt: str) -> dict:
    return {
        "package_version": PACKAGE_VERSION,
        "argos_version": ARGOS_VERSION,
        "from_code": src,
        "to_code": tgt,
        "from_name": LANG_NAMES[src],
        "to_name": LANG_NAMES[tgt],
        "package_name": f"Glossa demo {LANG_NAMES[src]}-{LANG_NAMES[tgt]} (synthetic vocabulary, not real MT)",
        "description": (f"DEMO model {LANG_NAMES[src]} -> {LANG_NAMES[tgt]}: a tiny Transformer trained on a "
                        "closed synthetic vocabulary of news-style sentences (scripts/demo_corpus.py). "
                        "It translates only that vocabulary; it is not real machine translation."),
        "type": "translate",
        "glossa_demo": True,
    }


README_TEXT = """# {name}: Glossa demo model ({src} -> {tgt})

This is a DEMO model, not real machine translation. It is a tiny Transformer (3+3 layers,
d_model 128, about 1.5 M parameters, CTranslate2 int8) trained for a few minutes on CPU on a
closed synthetic vocabulary of English, Korean and Russian news-style sentences generated by
Glossa's `scripts/demo_corpus.py`. On sentences from that generator it translates almost
perfectly; on anything else it produces nonsense.

It exists so that Glossa's tests and first run work without network access. Rebuild with
`python -m scripts.build_demo_models --out models/demo`.
"""


def write_package(src: str, tgt: str, model, sp_path: Path, sp, hp: Hyper, out: Path) -> Path:
    name = package_name(src, tgt)
    with tempfile.TemporaryDirectory(prefix="glossa-demo-pkg-") as tmp:
        root = Path(tmp) / name
        (root / "model").mkdir(parents=True)
        to_ctranslate2(model, sp, hp, root / "model")
        shutil.copy(sp_path, root / "sentencepiece.model")
        (root / "metadata.json").write_text(json.dumps(metadata(src, tgt), indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
        (root / "README.md").write_text(README_TEXT.format(name=name, src=src, tgt=tgt), encoding="utf-8")
        target = out / f"{name}.argosmodel"
        partial = target.with_suffix(".argosmodel.partial")
        # Fixed timestamps and order: rebuilding identical weights gives an identical zip.
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                arcname = path.relative_to(root.parent).as_posix()
                info = zipfile.ZipInfo(arcname + ("/" if path.is_dir() else ""), date_time=(2024, 6, 19, 0, 0, 0))
                if path.is_dir():
                    info.external_attr = 0o40755 << 16
                    zf.writestr(info, b"")
                else:
                    info.external_attr = 0o644 << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, path.read_bytes())
        partial.replace(target)
    return target


# ---------------------------------------------------------------- evaluation

def _same_modulo_hidden_particles(hyp: str, ref: str) -> bool:
    """Korean particles after a placeholder are random allomorphs by design: either one counts."""
    if hyp == ref:
        return True
    from service.glossary.korean import PARTICLE_PAIRS

    def norm(text: str) -> str:
        for i in range(10):
            ph = demo_corpus.placeholder(i)
            for a, b in PARTICLE_PAIRS:
                text = text.replace(ph + b, ph + a)
        return text

    return norm(hyp) == norm(ref)


def evaluate_package(package: Path, src: str, tgt: str, n: int, log) -> dict:
    """Exact match on held-out sentences and placeholder survival, decoding as Argos does."""
    import ctranslate2
    import sentencepiece as spm

    with tempfile.TemporaryDirectory(prefix="glossa-demo-eval-") as tmp:
        with zipfile.ZipFile(package) as zf:
            zf.extractall(tmp)
        root = Path(tmp) / package_name(src, tgt)
        sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
        translator = ctranslate2.Translator(str(root / "model"), device="cpu", compute_type="int8",
                                            inter_threads=1, intra_threads=2)

        def translate(sources: list[str]) -> list[str]:
            results = translator.translate_batch(
                [sp.encode(s, out_type=str) for s in sources], beam_size=4, length_penalty=0.2,
                replace_unknowns=True, max_batch_size=64)
            return [sp.decode(r.hypotheses[0]) for r in results]

        plain = demo_corpus.heldout(src, tgt, n)
        hyps = translate([s for s, _ in plain])
        exact = sum(h == r for h, (_, r) in zip(hyps, plain))
        failures = [(s, r, h) for h, (s, r) in zip(hyps, plain) if h != r]

        hidden = [p for p in demo_corpus.heldout(src, tgt, 4 * n, seed=7, placeholder_rate=1.0)
                  if "⟦" in p[0]][:n]
        hidden_hyps = translate([s for s, _ in hidden])
        survived = sum(all(demo_corpus.placeholder(i) in h for i in range(10) if demo_corpus.placeholder(i) in s)
                       for h, (s, _) in zip(hidden_hyps, hidden))
        hidden_exact = sum(_same_modulo_hidden_particles(h, r) for h, (_, r) in zip(hidden_hyps, hidden))
    result = {
        "direction": f"{src}->{tgt}",
        "heldout_exact": exact, "heldout_total": len(plain),
        "placeholder_survived": survived, "placeholder_exact": hidden_exact, "placeholder_total": len(hidden),
        "size_bytes": package.stat().st_size,
    }
    log(f"[{src}->{tgt}] held-out exact {exact}/{len(plain)}; placeholders survived {survived}/{len(hidden)}, "
        f"exact {hidden_exact}/{len(hidden)}; package {package.stat().st_size / 1e6:.2f} MB")
    for s, r, h in failures[:5]:
        log(f"    src: {s}\n    ref: {r}\n    got: {h}")
    return result


# ---------------------------------------------------------------- main

def write_report(path: Path, results: list[dict], settings: dict) -> None:
    """Record each direction's numbers; a partial rebuild (--pairs) keeps the other directions'."""
    try:
        previous = {r["direction"]: r for r in json.loads(path.read_text(encoding="utf-8"))["results"]}
    except (OSError, ValueError, KeyError, TypeError):
        previous = {}
    for r in results:
        previous[r["direction"]] = {**r, **settings}
    ordered = [previous[k] for k in sorted(previous)]
    path.write_text(json.dumps({"results": ordered}, indent=2) + "\n", encoding="utf-8")


def parse_pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for item in text.split(","):
        parts = tuple(item.strip().split("-"))
        if len(parts) != 2 or parts not in demo_corpus.DIRECTIONS:
            raise SystemExit(f"error: unsupported pair {item!r}; choose from "
                             + ",".join(f"{a}-{b}" for a, b in demo_corpus.DIRECTIONS))
        pairs.append(parts)
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train Glossa's demo models and write .argosmodel packages.")
    parser.add_argument("--out", type=Path, default=Path("models/demo"))
    parser.add_argument("--pairs", default="en-ru,en-ko,ru-en,ko-en")
    parser.add_argument("--steps", type=int, default=1800, help="optimizer steps per direction")
    parser.add_argument("--seconds", type=float, default=600.0,
                        help="cap on training time per direction (stops early on slow machines)")
    parser.add_argument("--seed", type=int, default=demo_corpus.TRAIN_SEED)
    parser.add_argument("--eval", type=int, default=300, help="held-out sentences per direction")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    pairs = parse_pairs(args.pairs)
    if args.seconds <= 0 or args.steps <= 0:
        raise SystemExit("error: --seconds and --steps must be positive")
    try:
        import torch
    except ImportError:
        raise SystemExit("error: training needs torch: pip install -e '.[train]'") from None
    import sentencepiece as spm

    torch.set_num_threads(args.threads)
    began = time.monotonic()

    def log(message: str) -> None:
        print(f"{time.monotonic() - began:7.1f}s {message}", flush=True)

    hp = Hyper()
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="glossa-demo-spm-") as tmp:
        sp_path = train_sentencepiece(Path(tmp), args.seed, hp.vocab_size)
        sp = spm.SentencePieceProcessor(model_file=str(sp_path))
        log(f"SentencePiece: {sp.get_piece_size()} pieces")
        for src, tgt in pairs:
            model, trained = train_direction(src, tgt, sp, args.steps, args.seconds, args.seed, hp, log)
            package = write_package(src, tgt, model, sp_path, sp, hp, args.out)
            log(f"[{src}->{tgt}] wrote {package}")
            results.append({**evaluate_package(package, src, tgt, args.eval, log), **trained})
    write_report(args.out / "build-report.json", results,
                 {"seed": args.seed, "step_budget": args.steps, "max_seconds": args.seconds})
    for r in results:
        log(f"{r['direction']}: exact {r['heldout_exact']}/{r['heldout_total']}, placeholders "
            f"{r['placeholder_survived']}/{r['placeholder_total']}, {r['size_bytes'] / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
