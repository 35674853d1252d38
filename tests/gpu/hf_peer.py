#!/usr/bin/env python3
"""Hugging Face peer for Fika's GPU throughput (issue 19).

Measures what a user would get from Hugging Face transformers on the same GPU, in the same run as
Fika's own numbers: BertForSequenceClassification (BERT-base shape, random weights from a config,
no download), attn_implementation="sdpa", torch.optim.AdamW, a plain padded training loop.

  train  training samples/s at 32x512 under bf16 autocast (fp32 weights) and at 6x512 in fp32
  infer  inference samples/s at 64x512 under bf16 autocast, model.eval(), torch.inference_mode()
  imdb   one real epoch on the IMDB CSV: every review tokenized with the bert-base-uncased vocab,
         truncated and padded to 512, a seeded 80 % split, shuffled batches of 32, bf16 autocast;
         wall time (tokenization timed apart), mean loss, samples/s

Fixed-shape runs: random token ids in [1000, 20000], all-ones attention mask, --warmup untimed steps,
then --steps timed steps, each ended by torch.cuda.synchronize(); the headline samples/s is
batch / median step time (the total-time figure is recorded too). Peak allocator memory is reset
before each measurement. Each measurement runs in its own try/except: a failure lands in "errors"
and the rest still run. The JSON (--out) is rewritten after every measurement, so a run killed
mid-way still leaves what it had (SIGTERM, as from `timeout`, also ends with the JSON and the
table); the exit status is 0 whenever the JSON was written. The epoch stops, marked incomplete,
after --imdb-max-seconds, so a slower peer cannot eat the GPU time of the rest of the run.

  python3 tests/gpu/hf_peer.py --out hf_peer.json --imdb ../shared/data/imdb/train.csv(.gz)
  python3 tests/gpu/hf_peer.py --device cpu --only train,infer --layers 2 --hidden 128 \
      --heads 2 --intermediate 256 --seq-len 64 --steps 2 --out /tmp/hf.json   (a smoke test)
"""

import argparse
import contextlib
import csv
import gc
import gzip
import importlib.util
import json
import os
import platform
import signal
import statistics
import sys
import time
import traceback
import unicodedata

# No network on the GPU machine: never let transformers or tokenizers try the Hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_VOCAB = os.path.join(REPO, "resources", "vocab", "bert-base-uncased-vocab.txt")
PARTS = ("train", "infer", "imdb")


def parseArgs(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="hf_peer.json", help="JSON result file (default %(default)s)")
    p.add_argument("--only", default=",".join(PARTS), help="comma list of parts: train,infer,imdb")
    p.add_argument("--device", default="cuda", help="cuda (default), cuda:N or cpu (cpu: testing)")
    p.add_argument("--imdb", default=None, help="IMDB CSV (or .csv.gz) with columns review,sentiment; imdb is skipped without it")
    p.add_argument("--vocab", default=DEFAULT_VOCAB, help="bert-base-uncased vocab.txt (default: the repo's)")
    p.add_argument("--imdb-limit", type=int, default=0, help="train on at most N reviews of the split (0: all)")
    p.add_argument("--imdb-max-seconds", type=float, default=90.0,
                   help="stop the epoch after this long and report it incomplete (0: no limit)")
    p.add_argument("--train-fraction", type=float, default=0.8)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--seq-len", type=int, default=512)
    p.add_argument("--train-bf16-batch", type=int, default=32)
    p.add_argument("--train-fp32-batch", type=int, default=6)
    p.add_argument("--infer-batch", type=int, default=64)
    p.add_argument("--imdb-batch", type=int, default=32)
    p.add_argument("--warmup", type=int, default=3, help="untimed steps before each fixed-shape measurement")
    p.add_argument("--steps", type=int, default=10, help="timed steps of each fixed-shape measurement")
    p.add_argument("--profile-steps", type=int, default=0,
                   help="GPU kernel times over N more steps of each fixed-shape measurement (0: none)")
    p.add_argument("--lr", type=float, default=2e-5)
    p.add_argument("--weight-decay", type=float, default=0.01)
    # Model shape: BERT-base by default; smaller values make a CPU smoke test possible.
    p.add_argument("--layers", type=int, default=12)
    p.add_argument("--hidden", type=int, default=768)
    p.add_argument("--heads", type=int, default=12)
    p.add_argument("--intermediate", type=int, default=3072)
    p.add_argument("--vocab-size", type=int, default=30522)
    p.add_argument("--attn", default="sdpa", help="attention implementation to request (default %(default)s)")
    args = p.parse_args(argv)
    parts = [s.strip() for s in args.only.split(",") if s.strip()]
    bad = [s for s in parts if s not in PARTS]
    if bad or not parts:
        p.error("--only: unknown part(s) %s; choose from %s" % (",".join(bad) or "(none)", ",".join(PARTS)))
    args.parts = parts
    for name in ("seq_len", "train_bf16_batch", "train_fp32_batch", "infer_batch", "imdb_batch", "steps",
                 "layers", "hidden", "heads", "intermediate", "vocab_size"):
        if getattr(args, name) <= 0:
            p.error("--%s must be positive" % name.replace("_", "-"))
    if args.warmup < 0 or args.imdb_limit < 0:
        p.error("--warmup and --imdb-limit must not be negative")
    if args.hidden % args.heads:
        p.error("--hidden (%d) must be a multiple of --heads (%d)" % (args.hidden, args.heads))
    if not 0.0 < args.train_fraction <= 1.0:
        p.error("--train-fraction must be in (0, 1]")
    if args.seq_len > 512:
        p.error("--seq-len must be at most 512 (BERT's position table)")
    return args


class Run:
    """The result object, written to --out after every change so nothing measured is lost."""

    def __init__(self, path):
        self.path = path
        self.result = {"errors": {}, "warnings": [], "train_samples_per_s": {}, "infer_samples_per_s": {},
                       "peak_memory_bytes": {}, "details": {}}

    def save(self):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.result, f, indent=1, sort_keys=True, default=str)
            f.write("\n")
        os.replace(tmp, self.path)

    def error(self, key, exc):
        text = "%s: %s\n%s" % (type(exc).__name__, exc, "".join(traceback.format_exc(limit=-6)))
        self.result["errors"][key] = text
        print("hf_peer: %s failed: %s: %s" % (key, type(exc).__name__, exc), file=sys.stderr)
        self.save()


# ---- torch helpers --------------------------------------------------------------------------------

def synchronize(torch, device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def resetPeak(torch, device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)


def peak(torch, device):
    return int(torch.cuda.max_memory_allocated(device)) if device.type == "cuda" else None


def release(torch, device):
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()


def autocast(torch, device, bf16):
    if not bf16:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16)


def buildModel(args, device, run):
    """BertForSequenceClassification with random weights and the requested attention, fp32 on device.

    Tries the documented route first (AutoModelForSequenceClassification.from_config with
    attn_implementation), then the config keyword, then the config attribute, and records which
    took effect and what the model reports it actually uses."""
    import transformers
    from transformers import BertConfig, BertForSequenceClassification

    shape = dict(num_labels=2, vocab_size=args.vocab_size, hidden_size=args.hidden,
                 num_hidden_layers=args.layers, num_attention_heads=args.heads,
                 intermediate_size=args.intermediate, max_position_embeddings=512)
    tries = []
    model, how = None, None

    def auto():
        return transformers.AutoModelForSequenceClassification.from_config(BertConfig(**shape),
                                                                            attn_implementation=args.attn)

    def configKeyword():
        return BertForSequenceClassification(BertConfig(attn_implementation=args.attn, **shape))

    def configAttribute():
        config = BertConfig(**shape)
        config._attn_implementation = args.attn
        return BertForSequenceClassification(config)

    for name, make in (("AutoModelForSequenceClassification.from_config(config, attn_implementation=...)", auto),
                       ("BertForSequenceClassification(BertConfig(attn_implementation=...))", configKeyword),
                       ("BertForSequenceClassification(config) after config._attn_implementation=...",
                        configAttribute)):
        try:
            model = make()
            how = name
            break
        except Exception as exc:  # the next way is tried; the reason is kept
            tries.append("%s -> %s: %s" % (name, type(exc).__name__, exc))
    if model is None:
        raise RuntimeError("could not build BertForSequenceClassification: " + " | ".join(tries))
    if type(model).__name__ != "BertForSequenceClassification":
        raise RuntimeError("from_config built %s, not BertForSequenceClassification" % type(model).__name__)
    model = model.float().to(device)
    used = getattr(model.config, "_attn_implementation", None)
    info = {"built_with": how, "failed_ways": tries, "attn_implementation": used,
            "model_class": type(model).__name__,
            "self_attention_class": selfAttentionClass(model),
            "parameters": sum(p.numel() for p in model.parameters()),
            "param_dtype": str(next(model.parameters()).dtype)}
    if used != args.attn:
        run.result["warnings"].append("asked for attn_implementation=%r, the model uses %r" % (args.attn, used))
    run.result.setdefault("model", info)
    if run.result.get("attn_implementation") is None:
        run.result["attn_implementation"] = used
    return model


def selfAttentionClass(model):
    try:
        return type(model.bert.encoder.layer[0].attention.self).__name__
    except Exception:
        return None


def randomBatch(torch, args, batch, device, seed):
    gen = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, 20001, (batch, args.seq_len), generator=gen, dtype=torch.long)
    labels = torch.randint(0, 2, (batch,), generator=gen, dtype=torch.long)
    return ids.to(device), torch.ones_like(ids).to(device), labels.to(device)


def timeSteps(torch, device, args, step):
    """Runs --warmup untimed then --steps timed calls of step(); returns per-step seconds."""
    for _ in range(args.warmup):
        step()
    synchronize(torch, device)
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        synchronize(torch, device)
        times.append(time.perf_counter() - t0)
    return times


def kernelProfile(torch, device, args, step, top=25):
    """GPU kernel time per step by kernel name over --profile-steps calls of step(), in the shape of
    fika-cli bench model's kernel_profile (Kineto's own events, as Fika reads them)."""
    if args.profile_steps <= 0 or not str(device).startswith("cuda"):
        return None
    try:
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) as prof:
            for _ in range(args.profile_steps):
                step()
            synchronize(torch, device)
        totals = {}
        for event in prof.profiler.kineto_results.events():
            if event.device_type() != torch.autograd.DeviceType.CUDA:
                continue
            entry = totals.setdefault(event.name(), [0.0, 0])
            entry[0] += event.duration_ns()
            entry[1] += 1
        everything = sum(t for t, _ in totals.values())
        ranked = sorted(totals.items(), key=lambda item: -item[1][0])[:top]
        return {"kernel_ms_per_step": everything / 1e6 / args.profile_steps, "kernel_names": len(totals),
                "kernels": [{"name": name[:160], "ms_per_step": t / 1e6 / args.profile_steps,
                             "calls_per_step": n / args.profile_steps, "share": t / everything if everything else 0.0}
                            for name, (t, n) in ranked]}
    except Exception as error:  # a profile is a diagnosis: its failure must not lose the measurement
        return {"error": f"{type(error).__name__}: {error}"}


def summarise(times, batch):
    med = statistics.median(times)
    return {"batch": batch, "timed_steps": len(times), "median_step_s": med, "total_s": sum(times),
            "samples_per_s_median": batch / med, "samples_per_s_total": batch * len(times) / sum(times),
            "step_s": times}


def measureTrain(args, device, run, key, batch, bf16):
    import torch
    model = optimizer = None
    try:
        model = buildModel(args, device, run)
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
        ids, mask, labels = randomBatch(torch, args, batch, device, seed=args.seed)
        losses = []

        def step():
            with autocast(torch, device, bf16):
                out = model(input_ids=ids, attention_mask=mask, labels=labels)
            out.loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(out.loss.detach())

        resetPeak(torch, device)
        times = timeSteps(torch, device, args, step)
        detail = summarise(times, batch)
        detail.update(seq_len=args.seq_len, autocast="bf16" if bf16 else None, weights="fp32",
                      last_loss=float(losses[-1].float().cpu()))
        profile = kernelProfile(torch, device, args, step)
        if profile:
            detail["kernel_profile"] = profile
        run.result["train_samples_per_s"][key] = detail["samples_per_s_median"]
        run.result["peak_memory_bytes"]["train_" + key] = peak(torch, device)
        run.result["details"]["train_" + key] = detail
        run.save()
    finally:
        model = optimizer = None  # drop the references before freeing the cache
        release(torch, device)


def measureInfer(args, device, run, key, batch):
    import torch
    model = None
    try:
        model = buildModel(args, device, run)
        model.eval()
        ids, mask, _ = randomBatch(torch, args, batch, device, seed=args.seed + 1)

        def step():
            with torch.inference_mode(), autocast(torch, device, True):
                model(input_ids=ids, attention_mask=mask).logits

        resetPeak(torch, device)
        times = timeSteps(torch, device, args, step)
        detail = summarise(times, batch)
        detail.update(seq_len=args.seq_len, autocast="bf16", weights="fp32")
        profile = kernelProfile(torch, device, args, step)
        if profile:
            detail["kernel_profile"] = profile
        run.result["infer_samples_per_s"][key] = detail["samples_per_s_median"]
        run.result["peak_memory_bytes"]["infer_" + key] = peak(torch, device)
        run.result["details"]["infer_" + key] = detail
        run.save()
    finally:
        model = None
        release(torch, device)


# ---- IMDB ------------------------------------------------------------------------------------------

def readImdb(path):
    """(texts, labels) from a CSV (or CSV.gz) with a header naming review and sentiment (positive/negative)."""
    csv.field_size_limit(1 << 30)
    texts, labels = [], []
    opener = gzip.open if path.endswith(".gz") else open  # .gz: a smaller file to carry to the GPU machine
    with opener(path, "rt", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header:
            raise ValueError("%s: empty file, expected a header with columns review,sentiment" % path)
        header = [h.strip().lstrip("\ufeff") for h in header]
        if "review" not in header or "sentiment" not in header:
            raise ValueError("%s, line 1: header %r lacks the columns review and sentiment" % (path, header))
        ti, li = header.index("review"), header.index("sentiment")
        for row in reader:
            if not row:
                continue
            if len(row) <= max(ti, li):
                raise ValueError("%s, line %d: %d field(s), expected at least %d"
                                 % (path, reader.line_num, len(row), max(ti, li) + 1))
            label = row[li].strip().lower()
            if label not in ("positive", "negative"):
                raise ValueError("%s, line %d: sentiment %r is neither positive nor negative"
                                 % (path, reader.line_num, row[li]))
            texts.append(row[ti])
            labels.append(1 if label == "positive" else 0)
    if not texts:
        raise ValueError("%s: no reviews after the header" % path)
    return texts, labels


def readVocab(path):
    with open(path, encoding="utf-8") as f:
        tokens = [line.rstrip("\n").rstrip("\r") for line in f]
    if tokens and tokens[-1] == "":
        tokens.pop()
    vocab = {t: i for i, t in enumerate(tokens)}
    for special in ("[PAD]", "[UNK]", "[CLS]", "[SEP]"):
        if special not in vocab:
            raise ValueError("%s: the vocabulary has no %s token" % (path, special))
    return vocab


def hfTokenizer(vocab, seqLen):
    """The bert-base-uncased pipeline in Hugging Face tokenizers (the same JSON that
    shared/bench/hf-tokenizers uses), truncating to seqLen and padding every example to seqLen.
    Falls back to BertWordPieceTokenizer when the JSON form is refused."""
    import tokenizers
    special = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True} for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
               if t in vocab]
    spec = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": special,
            "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                           "strip_accents": None, "lowercase": True},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", vocab["[SEP]"]],
                               "cls": ["[CLS]", vocab["[CLS]"]]},
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                      "max_input_chars_per_word": 100, "vocab": vocab}}
    try:
        tok = tokenizers.Tokenizer.from_str(json.dumps(spec))
        name = "tokenizers %s Tokenizer.from_str(bert-base-uncased pipeline)" % tokenizers.__version__
    except Exception as exc:
        tok = tokenizers.BertWordPieceTokenizer(vocab, lowercase=True)
        name = "tokenizers %s BertWordPieceTokenizer(lowercase=True) (from_str refused: %s)" % (
            tokenizers.__version__, exc)
    tok.enable_truncation(max_length=seqLen)
    tok.enable_padding(length=seqLen, pad_id=vocab["[PAD]"], pad_token="[PAD]")

    def encode(texts):
        encs = tok.encode_batch(texts)
        return [e.ids for e in encs], [e.attention_mask for e in encs]
    return encode, name


class PyWordPiece:
    """Pure-Python BERT uncased tokenization, used only where Hugging Face tokenizers is not
    installed (a CPU test machine); it follows BertNormalizer + BertPreTokenizer + WordPiece."""

    def __init__(self, vocab):
        self.vocab = vocab

    @staticmethod
    def _punct(ch):
        cp = ord(ch)
        if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
            return True
        return unicodedata.category(ch).startswith("P")

    @staticmethod
    def _chinese(cp):
        return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
                or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
                or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)

    def words(self, text):
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\n\r"):
                continue
            if ch in " \t\n\r" or unicodedata.category(ch) == "Zs":
                out.append(" ")
            elif self._chinese(cp):
                out.append(" %s " % ch)
            else:
                out.append(ch)
        text = unicodedata.normalize("NFD", "".join(out).lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        words = []
        for chunk in text.split():
            cur = ""
            for ch in chunk:
                if self._punct(ch):
                    if cur:
                        words.append(cur)
                        cur = ""
                    words.append(ch)
                else:
                    cur += ch
            if cur:
                words.append(cur)
        return words

    def ids(self, text):
        vocab, unk, out = self.vocab, self.vocab["[UNK]"], []
        for word in self.words(text):
            if len(word) > 100:
                out.append(unk)
                continue
            start, pieces = 0, []
            while start < len(word):
                end, found = len(word), None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in vocab:
                        found = vocab[piece]
                        break
                    end -= 1
                if found is None:
                    pieces = [unk]
                    break
                pieces.append(found)
                start = end
            out.extend(pieces)
        return [vocab["[CLS]"]] + out + [vocab["[SEP]"]]


def pyTokenizer(vocab, seqLen):
    wp = PyWordPiece(vocab)
    pad, sep = vocab["[PAD]"], vocab["[SEP]"]

    def encode(texts):
        allIds, allMasks = [], []
        for text in texts:
            ids = wp.ids(text)
            if len(ids) > seqLen:
                ids = ids[:seqLen - 1] + [sep]
            n = len(ids)
            allIds.append(ids + [pad] * (seqLen - n))
            allMasks.append([1] * n + [0] * (seqLen - n))
        return allIds, allMasks
    return encode, "pure-Python WordPiece fallback (tokenizers not installed)"


def makeTokenizer(vocab, seqLen):
    if importlib.util.find_spec("tokenizers") is None:
        return pyTokenizer(vocab, seqLen)
    return hfTokenizer(vocab, seqLen)


def measureImdb(args, device, run):
    import numpy as np
    import torch
    info = {"csv": os.path.abspath(args.imdb), "vocab": os.path.abspath(args.vocab), "batch": args.imdb_batch,
            "seq_len": args.seq_len, "padding": "every example to seq_len", "autocast": "bf16",
            "weights": "fp32", "optimizer": "AdamW(lr=%g, weight_decay=%g)" % (args.lr, args.weight_decay),
            "split": "numpy RandomState(%d).permutation, first %g" % (args.seed, args.train_fraction),
            "order": "numpy RandomState(%d).permutation of the split" % (args.seed + 1),
            "loss_sync": "per-batch losses stay on the device; one read after the epoch",
            "complete": False}
    run.result["imdb_epoch"] = info
    t0 = time.perf_counter()
    texts, labels = readImdb(args.imdb)
    vocab = readVocab(args.vocab)
    info["read_seconds"] = time.perf_counter() - t0
    info["rows"] = len(texts)

    order = np.random.RandomState(args.seed).permutation(len(texts))
    split = order[:int(round(args.train_fraction * len(texts)))]
    if args.imdb_limit:
        split = split[:args.imdb_limit]
    # Every review is tokenized, as a user preparing the data set would; a limited (test or
    # time-boxed) run tokenizes only the reviews it trains on.
    toTokenize = split if args.imdb_limit else np.arange(len(texts))
    encode, info["tokenizer"] = makeTokenizer(vocab, args.seq_len)
    t0 = time.perf_counter()
    ids, masks = encode([texts[i] for i in toTokenize])
    idsT = torch.from_numpy(np.asarray(ids, dtype=np.int64))
    maskT = torch.from_numpy(np.asarray(masks, dtype=np.int64))
    info["tokenize_seconds"] = time.perf_counter() - t0
    info["tokenized_reviews"] = len(toTokenize)
    del ids, masks
    if not args.imdb_limit:  # rows of the split, in the tokenized tensors' numbering
        idsT, maskT = idsT[torch.from_numpy(split)], maskT[torch.from_numpy(split)]
    labelsT = torch.tensor([labels[i] for i in split], dtype=torch.long)
    info["mean_tokens"] = float(maskT.sum(1).float().mean())
    info["truncated_share"] = float((maskT[:, -1] == 1).float().mean())
    info["positive_share"] = float(labelsT.float().mean())
    run.save()

    model = optimizer = None
    try:
        model = buildModel(args, device, run)
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
        epochOrder = torch.from_numpy(np.random.RandomState(args.seed + 1).permutation(len(split)))
        losses, seen = [], 0
        resetPeak(torch, device)
        t0 = time.perf_counter()
        for b in range(0, len(split), args.imdb_batch):
            rows = epochOrder[b:b + args.imdb_batch]
            x = idsT[rows].to(device, non_blocking=True)
            m = maskT[rows].to(device, non_blocking=True)
            y = labelsT[rows].to(device, non_blocking=True)
            with autocast(torch, device, True):
                out = model(input_ids=x, attention_mask=m, labels=y)
            out.loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(out.loss.detach())
            seen += len(rows)
            if args.imdb_max_seconds and time.perf_counter() - t0 > args.imdb_max_seconds:
                break
        synchronize(torch, device)
        seconds = time.perf_counter() - t0
        lossValues = torch.stack(losses).float().cpu().tolist()
        tenth = max(1, len(lossValues) // 10)
        info.update(seconds=seconds, reviews=seen, steps=len(lossValues), samples_per_s=seen / seconds,
                    mean_loss=sum(lossValues) / len(lossValues),
                    mean_loss_first_tenth=sum(lossValues[:tenth]) / tenth,
                    mean_loss_last_tenth=sum(lossValues[-tenth:]) / tenth,
                    complete=seen == len(split), split_reviews=len(split))
        if not info["complete"]:
            run.result["warnings"].append("imdb epoch stopped after %.0f s (--imdb-max-seconds) at %d of %d reviews"
                                          % (seconds, seen, len(split)))
        run.result["peak_memory_bytes"]["imdb_epoch"] = peak(torch, device)
        run.save()
    finally:
        model = optimizer = None  # drop the references before freeing the cache
        release(torch, device)


# ---- environment and report ------------------------------------------------------------------------

def describe(args, device, run):
    import torch
    r = run.result
    r["peer"] = ("Hugging Face transformers BertForSequenceClassification, attn_implementation=%r, AdamW, "
                 "plain padded loop (Fika issue 19)" % args.attn)
    settings = {k: v for k, v in vars(args).items()}
    settings["model"] = ("BertForSequenceClassification, %d layers, hidden %d, %d heads, intermediate %d, "
                         "vocab %d, 2 labels, random weights (fp32), dropout defaults"
                         % (args.layers, args.hidden, args.heads, args.intermediate, args.vocab_size))
    settings["fixed_shape_inputs"] = "random ids in [1000, 20000], all-ones attention mask, one batch reused"
    settings["timing"] = ("%d warm-up steps, then %d timed steps each followed by synchronize; "
                          "samples/s = batch / median step time" % (args.warmup, args.steps))
    settings["peak_memory"] = "torch.cuda.max_memory_allocated, reset after the model and inputs are on the GPU"
    r["settings"] = settings
    r["torch"] = torch.__version__
    r["python"] = platform.python_version()
    r["device"] = str(device)
    r["cuda"] = getattr(torch.version, "cuda", None)
    for mod in ("transformers", "tokenizers", "numpy"):
        try:
            r[mod] = __import__(mod).__version__
        except Exception as exc:
            r[mod] = None
            r["warnings"].append("%s not importable: %s" % (mod, exc))
    r["gpu"] = None
    if device.type == "cuda":
        try:
            r["gpu"] = torch.cuda.get_device_name(device)
            r["gpu_memory_bytes"] = int(torch.cuda.get_device_properties(device).total_memory)
            r["cudnn"] = torch.backends.cudnn.version()
        except Exception as exc:
            r["warnings"].append("GPU details: %s: %s" % (type(exc).__name__, exc))
    backends = {}
    for name, get in (("float32_matmul_precision", lambda: torch.get_float32_matmul_precision()),
                      ("cuda_matmul_fp32_precision", lambda: torch.backends.cuda.matmul.fp32_precision),
                      ("cuda_matmul_allow_tf32", lambda: torch.backends.cuda.matmul.allow_tf32),
                      ("cudnn_allow_tf32", lambda: torch.backends.cudnn.allow_tf32),
                      ("sdp_flash_enabled", lambda: torch.backends.cuda.flash_sdp_enabled()),
                      ("sdp_mem_efficient_enabled", lambda: torch.backends.cuda.mem_efficient_sdp_enabled()),
                      ("sdp_math_enabled", lambda: torch.backends.cuda.math_sdp_enabled())):
        try:
            backends[name] = get()
        except Exception:
            backends[name] = None
    r["torch_backends"] = backends


def fmt(v, spec):
    return format(v, spec) if isinstance(v, (int, float)) else "-"


def printTable(run):
    r = run.result
    mem = r.get("peak_memory_bytes", {})
    print("Hugging Face peer: %s, torch %s, transformers %s, attention %s"
          % (r.get("gpu") or r.get("device"), r.get("torch"), r.get("transformers"), r.get("attn_implementation")))
    print("%-28s %12s %14s" % ("measurement", "samples/s", "peak MiB"))
    for group, prefix in (("train_samples_per_s", "train_"), ("infer_samples_per_s", "infer_")):
        for key, value in sorted(r.get(group, {}).items()):
            m = mem.get(prefix + key)
            print("%-28s %12s %14s" % (prefix + key, fmt(value, ".1f"), fmt(m and m / 2**20, ".0f")))
    e = r.get("imdb_epoch")
    if e and "seconds" in e:
        m = mem.get("imdb_epoch")
        print("%-28s %12s %14s   %d reviews in %.1f s%s, mean loss %.4f, tokenize %.1f s (%d reviews)"
              % ("imdb_epoch", fmt(e["samples_per_s"], ".1f"), fmt(m and m / 2**20, ".0f"), e["reviews"],
                 e["seconds"], "" if e["complete"] else " (stopped early)", e["mean_loss"],
                 e.get("tokenize_seconds", 0.0), e.get("tokenized_reviews", 0)))
    for key in sorted(r["errors"]):
        print("ERROR %s: %s" % (key, r["errors"][key].splitlines()[0]))
    for w in r["warnings"]:
        print("warning: %s" % w)


def onTerm(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


def main(argv=None):
    args = parseArgs(argv)
    run = Run(args.out)
    signal.signal(signal.SIGTERM, onTerm)  # a `timeout` kill still ends with the JSON and the table
    started = time.perf_counter()
    run.result["started"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    run.save()
    try:
        try:
            import torch
            device = torch.device(args.device)
            if device.type == "cuda" and not torch.cuda.is_available():
                raise RuntimeError("--device %s but torch.cuda.is_available() is False" % args.device)
        except Exception as exc:
            run.error("setup", exc)
            return 0
        try:  # a missing detail must not cost the measurements
            describe(args, device, run)
        except Exception as exc:
            run.error("describe", exc)
        measurements = []
        if "train" in args.parts:
            measurements += [("train_bf16_%dx%d" % (args.train_bf16_batch, args.seq_len),
                              lambda: measureTrain(args, device, run, "bf16_%dx%d" % (args.train_bf16_batch,
                                                   args.seq_len), args.train_bf16_batch, True)),
                             ("train_fp32_%dx%d" % (args.train_fp32_batch, args.seq_len),
                              lambda: measureTrain(args, device, run, "fp32_%dx%d" % (args.train_fp32_batch,
                                                   args.seq_len), args.train_fp32_batch, False))]
        if "infer" in args.parts:
            measurements.append(("infer_bf16_%dx%d" % (args.infer_batch, args.seq_len),
                                 lambda: measureInfer(args, device, run, "bf16_%dx%d" % (args.infer_batch,
                                                      args.seq_len), args.infer_batch)))
        if "imdb" in args.parts:
            if args.imdb:
                measurements.append(("imdb_epoch", lambda: measureImdb(args, device, run)))
            else:
                run.result["warnings"].append("imdb skipped: no --imdb CSV given")
        for key, measure in measurements:
            t0 = time.perf_counter()
            try:
                measure()
            except Exception as exc:
                run.error(key, exc)
            except KeyboardInterrupt as exc:
                run.result["errors"][key] = "interrupted: %s" % (exc or "SIGINT")
                run.result["interrupted"] = True
                break
            run.result.setdefault("part_seconds", {})[key] = time.perf_counter() - t0
            run.save()
    finally:
        run.result["total_seconds"] = time.perf_counter() - started
        run.save()
        printTable(run)
        print("hf_peer: wrote %s" % os.path.abspath(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
