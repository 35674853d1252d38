#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference Integrated Gradients for a BERT classifier, written from the paper and Hugging Face's
BertForSequenceClassification, independent of Fika's code: it makes tests/data/explanation_golden.json,
which tests/core/tst_explanation.cpp compares with core/model/explanation.cpp.

    /usr/bin/python3 tests/golden_tools/explanation_reference.py \
        --checkpoint ../shared/golden/tiny-bert --vocab resources/vocab/bert-base-uncased-vocab.txt \
        --out tests/data/explanation_golden.json

Needs PyTorch (Debian: python3-torch, 1.13) and NumPy only. What it computes, per text:
- tokens: Hugging Face's BertWordPieceTokenizer (uncased: clean text, isolate CJK, NFD, drop
  accents, lowercase, split on whitespace and punctuation, WordPiece), with each token's span in
  code points of the text as given and the index of its pre-tokenised word;
- f(x) and f(baseline), the baseline being [CLS] + [PAD] * n + [SEP];
- Integrated Gradients of the explained logit (the predicted class) with respect to the word
  embeddings: Gauss-Legendre quadrature on [0, 1] with `steps` nodes (numpy.polynomial.legendre),
  the gradient summed with the nodes' weights, times (x - baseline), summed over the hidden size;
- words: the sum of their tokens' attributions.
"""
import argparse
import json
import math
import struct
import unicodedata

import numpy
import torch

TEXTS = [
    "The acting was not bad at all.",
    "Café déjà vu: the acting was superb, but the plot dragged on and on.",
    "I don't want to complain about the movie, it was really just ok.",
    "Worst film ever.",
    "Unbelievably CHARMING, heartwarming & surprisingly funny!!",
]


# --- tokenizer ---------------------------------------------------------------------------------

def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_chinese(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def pre_tokenize(text):
    """Words as lists of (normalised character, index of the text's character it came from)."""
    words, word = [], []

    def flush():
        if word:
            words.append(list(word))
            word.clear()

    for index, ch in enumerate(text):
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or is_control(ch):
            continue
        if is_whitespace(ch):
            flush()
            continue
        if is_chinese(cp):
            flush()
            words.append([(ch, index)])
            continue
        for c in unicodedata.normalize("NFD", ch.lower()):
            if unicodedata.category(c) == "Mn":
                continue
            if is_punctuation(c):
                flush()
                words.append([(c, index)])
            else:
                word.append((c, index))
    flush()
    return words


def word_piece(word, vocab):
    """Token strings and the character index (in word) where each starts."""
    chars = "".join(c for c, _ in word)
    if len(chars) > 100:
        return [("[UNK]", 0)]
    pieces, start = [], 0
    while start < len(chars):
        end = len(chars)
        found = None
        while start < end:
            piece = chars[start:end] if start == 0 else "##" + chars[start:end]
            if piece in vocab:
                found = piece
                break
            end -= 1
        if found is None:
            return [("[UNK]", 0)]
        pieces.append((found, start))
        start = end
    return pieces


def tokenize(text, vocab):
    tokens = []  # (token, start, end, word)
    for w, word in enumerate(pre_tokenize(text)):
        pieces = word_piece(word, vocab)
        for p, (token, start) in enumerate(pieces):
            first = word[start][1]
            end = word[pieces[p + 1][1]][1] if p + 1 < len(pieces) else word[-1][1] + 1
            tokens.append((token, first, max(end, first + 1), w))
    return tokens


# --- model -------------------------------------------------------------------------------------

def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", name
        begin, end = info["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32).reshape(info["shape"])
    return tensors


class Bert:
    """BertForSequenceClassification in eval mode, from inputs_embeds."""

    def __init__(self, weights, config):
        self.w = weights
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]

    def linear(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def norm(self, x, name):
        return torch.nn.functional.layer_norm(x, x.shape[-1:], self.w[name + ".weight"], self.w[name + ".bias"], self.eps)

    def logits(self, word_embeds):
        batch, length, hidden = word_embeds.shape
        e = "bert.embeddings."
        x = word_embeds + self.w[e + "position_embeddings.weight"][:length] + self.w[e + "token_type_embeddings.weight"][0]
        x = self.norm(x, e + "LayerNorm")
        size = hidden // self.heads
        for i in range(self.layers):
            p = "bert.encoder.layer.%d." % i

            def split(t):
                return t.view(batch, length, self.heads, size).transpose(1, 2)

            q = split(self.linear(x, p + "attention.self.query"))
            k = split(self.linear(x, p + "attention.self.key"))
            v = split(self.linear(x, p + "attention.self.value"))
            scores = q @ k.transpose(-1, -2) / math.sqrt(size)  # no padding: the mask adds nothing
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, hidden)
            x = self.norm(self.linear(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = torch.nn.functional.gelu(self.linear(x, p + "intermediate.dense"))
            x = self.norm(self.linear(inner, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = torch.tanh(self.linear(x[:, 0], "bert.pooler.dense"))
        return self.linear(pooled, "classifier")


def explain(model, table, ids, pad_id, steps):
    ids = torch.tensor(ids)
    baseline = ids.clone()
    baseline[1:-1] = pad_id
    x, b = table[ids], table[baseline]
    with torch.no_grad():
        ends = model.logits(torch.stack([x, b]))
    label = int(ends[0].argmax())
    nodes, weights = numpy.polynomial.legendre.leggauss(steps)
    alphas = torch.tensor((nodes + 1) / 2, dtype=torch.float32).view(-1, 1, 1)
    points = (b + alphas * (x - b)).requires_grad_(True)
    model.logits(points)[:, label].sum().backward()
    integral = (points.grad.double() * torch.tensor(weights / 2).view(-1, 1, 1)).sum(0)
    attributions = ((x - b).double() * integral).sum(1)
    return label, ends[0], ends[1], attributions


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--vocab", required=True)
    parser.add_argument("--steps", type=int, default=32)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.vocab, encoding="utf-8") as f:
        tokens = [line.rstrip("\n") for line in f]
    vocab = {token: i for i, token in enumerate(tokens)}
    with open(args.checkpoint + "/config.json") as f:
        config = json.load(f)
    weights = load_safetensors(args.checkpoint + "/model.safetensors")
    labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    model = Bert(weights, config)
    table = weights["bert.embeddings.word_embeddings.weight"]

    out = {"generator": "tests/golden_tools/explanation_reference.py, PyTorch " + torch.__version__,
           "steps": args.steps, "texts": []}
    for text in TEXTS:
        spans = tokenize(text, vocab)
        ids = [vocab["[CLS]"]] + [vocab[t] for t, _, _, _ in spans] + [vocab["[SEP]"]]
        label, fx, fb, attributions = explain(model, table, ids, vocab["[PAD]"], args.steps)
        token_rows, words = [], []
        for i, (token, start, end, w) in enumerate(spans):
            a = float(attributions[i + 1])
            token_rows.append({"token": token, "start": start, "end": end, "word": w, "attribution": a})
            if len(words) <= w:
                words.append({"word": None, "start": start, "end": end, "attribution": 0.0})
            words[w]["end"] = max(words[w]["end"], end)
            words[w]["attribution"] += a
        for word in words:
            word["word"] = text[word["start"]:word["end"]]
        out["texts"].append({"text": text, "ids": ids, "class": labels[label], "logits": fx.tolist(),
                             "logit": float(fx[label]), "baseline_logit": float(fb[label]),
                             "tokens": token_rows, "words": words})
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
