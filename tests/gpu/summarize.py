#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Gathers the outputs of tests/gpu/run.sh's steps into one JSON (docs/benchmarks/gpu-h200.json).

    summarize.py PARTS_DIR OUT_JSON COMMAND SECONDS

A missing or failed step leaves its numbers null and says why under "steps"; the file is always
written, so one failure does not cost the rest of a GPU session's numbers.
"""
import json
import os
import sys


def last_json(path):
    """The last line of a log that is a JSON object (stderr lines may precede it)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return None


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def epochs(path):
    """The epoch entries of a run's metrics.jsonl."""
    found = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("type") == "epoch":
                    found.append(entry["metrics"])
    except OSError:
        pass
    return found


def dig(value, *keys):
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def ratio(a, b):
    return round(a / b, 3) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None


def main():
    parts, out_path, command, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    part = lambda name: os.path.join(parts, name)

    steps = {}
    for name in sorted(os.listdir(parts)):
        if name.endswith(".status"):
            with open(part(name)) as f:
                fields = f.read().split()
            code = fields[0] if fields else "?"
            steps[name[:-7]] = {"exit": None if code == "skipped" else int(code), "skipped": code == "skipped",
                                "seconds": float(fields[1]) if len(fields) > 1 else None}

    gpu = None
    try:
        with open(part("gpu.csv")) as f:
            rows = [r.strip() for r in f.read().splitlines() if r.strip()]
        gpu = rows[1].split(",")[0].strip() if len(rows) > 1 else None
    except OSError:
        pass

    def fika_field(name, key):
        """A field of the one measurement a bench model step printed."""
        rows = (last_json(part(name + ".log")) or {}).get("results") or []
        return rows[0].get(key) if rows else None

    def fika_rate(name):
        # The median step, as the peer reports its own (its mean is kept under fika_mean_samples_per_s).
        return fika_field(name, "samples_per_s_median")

    def fika_peak(name):
        return fika_field(name, "peak_gpu_memory_mb")

    hf = read_json(part("hf_peer.json")) or {}
    parity = last_json(part("parity.log")) or {}
    serve = last_json(part("serve.log")) or {}
    base_epochs = epochs(part("imdb_base.metrics.jsonl"))
    mini_epochs = epochs(part("imdb_mini.metrics.jsonl"))

    train = {
        "fika_bf16_32x512": fika_rate("bench_train_bf16_32x512"),
        "hf_bf16_32x512": dig(hf, "train_samples_per_s", "bf16_32x512"),
        "fika_fp32_6x512": fika_rate("bench_train_fp32_6x512"),
        "hf_fp32_6x512": dig(hf, "train_samples_per_s", "fp32_6x512"),
    }
    infer = {
        "fika_bf16_64x512": fika_rate("bench_infer_bf16_64x512"),
        "hf_bf16_64x512": dig(hf, "infer_samples_per_s", "bf16_64x512"),
    }
    hf_epoch = dig(hf, "imdb_epoch") or {}
    fika_epoch = base_epochs[0] if base_epochs else {}
    # The peer's epoch has a time limit: a partial epoch's time is scaled to its 20,000 reviews from the
    # rate it kept, and marked so. The speedup compares rates (reviews per second) either way.
    hf_complete = bool(hf_epoch.get("complete"))
    hf_seconds = hf_epoch.get("seconds")
    if not hf_complete and hf_epoch.get("samples_per_s"):
        hf_seconds = 20000 / hf_epoch["samples_per_s"]
    imdb = {"fika": fika_epoch.get("training_seconds"), "hf": hf_seconds}
    fika_imdb_rate = 20000 / imdb["fika"] if imdb["fika"] else None

    summary = {
        "gpu": gpu,
        "command": command,
        "seconds": seconds,
        "parity_max_abs_logit_diff_fp32": parity.get("max_abs_logit_diff_fp32_vs_cpu"),
        "parity": parity or None,
        "train_samples_per_s": train,
        "infer_samples_per_s": infer,
        "imdb_epoch_seconds": imdb,
        "speedup_vs_hf": {
            "train_bf16_32x512": ratio(train["fika_bf16_32x512"], train["hf_bf16_32x512"]),
            "train_fp32_6x512": ratio(train["fika_fp32_6x512"], train["hf_fp32_6x512"]),
            "infer_bf16_64x512": ratio(infer["fika_bf16_64x512"], infer["hf_bf16_64x512"]),
            "imdb_epoch": ratio(fika_imdb_rate, hf_epoch.get("samples_per_s")),
        },
        "speedup_note": "fixed shapes: median step against the peer's median step; IMDB epoch: Fika with dynamic padding "
                        "and length buckets against transformers padding every batch to 512, reviews per second",
        "imdb_epoch_detail": {
            "fika": {"reviews": 20000, "batch": 32, "length_buckets": True, "precision": "bf16",
                     "validation_accuracy_after_one_epoch": fika_epoch.get("accuracy"),
                     "epoch_seconds_with_validation": fika_epoch.get("elapsed_seconds"),
                     "gpu_peak_memory_bytes": fika_epoch.get("gpu_peak_memory_bytes"),
                     "run_wall_seconds": dig(steps, "imdb_base", "seconds")},
            "hf": dict({key: hf_epoch.get(key) for key in ("seconds", "reviews", "samples_per_s", "complete", "mean_loss",
                                                           "tokenize_seconds")}, seconds_scaled_to_20000=not hf_complete),
        },
        # Only a run that finished its three epochs counts (a step stopped by its time limit leaves fewer).
        "bert_mini_val_accuracy": mini_epochs[-1].get("accuracy") if len(mini_epochs) >= 3 else None,
        "bert_mini": {"accuracy_by_epoch": [e.get("accuracy") for e in mini_epochs],
                      "training_seconds_by_epoch": [e.get("training_seconds") for e in mini_epochs],
                      "run_wall_seconds": dig(steps, "imdb_mini", "seconds"), "reference_accuracy": 0.878},
        "fika_attention_kernels": {name: [fika_field(name, "attention_kernel"), fika_field(name, "attention_kernel_padded")]
                                   for name in ("bench_train_bf16_32x512", "bench_train_fp32_6x512", "bench_infer_bf16_64x512")},
        "fika_mean_samples_per_s": {name: fika_field(name, "samples_per_s")
                                    for name in ("bench_train_bf16_32x512", "bench_train_fp32_6x512", "bench_infer_bf16_64x512")},
        "gpu_peak_memory_mb": {"fika_bf16_32x512": fika_peak("bench_train_bf16_32x512"),
                               "fika_fp32_6x512": fika_peak("bench_train_fp32_6x512"),
                               "fika_infer_bf16_64x512": fika_peak("bench_infer_bf16_64x512"),
                               "hf": hf.get("peak_memory_bytes")},
        "serve": {key: serve.get(key) for key in ("requests_per_s", "p50_ms", "p99_ms", "predictor_texts_per_s", "overhead",
                                                  "mean_batch", "errors", "clients", "requests")} if serve else None,
        # Where the time goes, kernel by kernel, in Fika and in the peer (bench model --profile-steps, hf_peer.py --profile-steps).
        "kernel_profiles": {measure: {"fika": fika_field(name, "kernel_profile"),
                                      "hf": dig(hf, "details", measure, "kernel_profile")}
                            for measure, name in (("train_bf16_32x512", "bench_train_bf16_32x512"),
                                                  ("train_fp32_6x512", "bench_train_fp32_6x512"),
                                                  ("infer_bf16_64x512", "bench_infer_bf16_64x512"))},
        "hf_peer": {key: hf.get(key) for key in ("torch", "transformers", "attn_implementation", "errors", "warnings")},
        "steps": steps,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

    print("\n%-28s %12s %12s %8s" % ("", "Fika", "transformers", "ratio"))
    for label, a, b in (("train bf16 32x512 samples/s", train["fika_bf16_32x512"], train["hf_bf16_32x512"]),
                        ("train fp32 6x512 samples/s", train["fika_fp32_6x512"], train["hf_fp32_6x512"]),
                        ("infer bf16 64x512 samples/s", infer["fika_bf16_64x512"], infer["hf_bf16_64x512"]),
                        ("IMDB epoch seconds", imdb["fika"], imdb["hf"])):
        r = ratio(b, a) if label.startswith("IMDB") else ratio(a, b)
        print("%-28s %12s %12s %8s" % (label, a, b, r))
    print("parity fp32 logits %s, gradients %s, bf16 %s; BERT-mini accuracy %s; serve %s req/s p99 %s ms" % (
        summary["parity_max_abs_logit_diff_fp32"], parity.get("max_rel_gradient_diff_fp32_vs_cpu"),
        parity.get("max_abs_logit_diff_bf16_vs_cpu_fp32"), summary["bert_mini_val_accuracy"],
        (serve or {}).get("requests_per_s"), (serve or {}).get("p99_ms")))
    print("steps: " + ", ".join("%s %s" % (k, "skipped" if v["skipped"] else "exit %s %.0fs" % (v["exit"], v["seconds"] or 0))
                                for k, v in steps.items()))


if __name__ == "__main__":
    main()
