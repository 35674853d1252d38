#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that Hugging Face transformers loads a folder exported by Fika as it is, and that its logits
match Fika's own on the same texts.

Needs a machine with `transformers` and `torch` (this project's build machine has neither):

    fika-cli export --checkpoint SRC --out EXPORT               # or an export from the app
    fika-cli predict --checkpoint EXPORT --json < texts.txt > fika.json
    python3 tests/hf_parity/check_export.py EXPORT texts.txt fika.json [cpu|cuda]

texts.txt holds one text per line. Prints one JSON line; exits 1 when a logit differs by more than
1e-4 or a predicted label differs.
"""
import json
import sys

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def main(export_dir, texts_path, fika_path, device="cpu"):
    with open(texts_path, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f]
    with open(fika_path, encoding="utf-8") as f:
        fika = json.load(f)
    tokenizer = AutoTokenizer.from_pretrained(export_dir)
    model = AutoModelForSequenceClassification.from_pretrained(export_dir).eval().to(device)
    batch = tokenizer(texts, padding=True, truncation=True, max_length=tokenizer.model_max_length,
                      return_tensors="pt").to(device)
    with torch.no_grad():
        logits = model(**batch).logits.float().cpu().tolist()
    worst = max(abs(a - b) for row, ours in zip(logits, fika) for a, b in zip(row, ours["logits"]))
    labels_agree = all(model.config.id2label[max(range(len(row)), key=row.__getitem__)] == ours["label"]
                       for row, ours in zip(logits, fika))
    ok = len(fika) == len(texts) and worst <= 1e-4 and labels_agree
    print(json.dumps({"export": export_dir, "device": device, "texts": len(texts), "max_abs_logit_diff": worst,
                      "labels_agree": labels_agree, "id2label": model.config.id2label,
                      "model_max_length": tokenizer.model_max_length, "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
