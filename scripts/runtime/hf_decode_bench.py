"""Hugging Face transformers' greedy generate on the GPU, timed as the reference pipeline runs it: eager attention,
a forward hook on every decoder layer keeping the last position's output of every step (on the host, as float32).

Usage: python3 hf_decode_bench.py MODEL_DIR f32|bf16 STEPS [BATCH] [GB_PER_S]
Prints one Markdown row: tokens/s over the decode steps (the prefill's time, measured by a 1-token generate, is
subtracted), ms/step, weight GB, fraction of the weight-streaming bound.
"""
import sys, time, torch
import transformers
from transformers import AutoModelForCausalLM

def main():
    d, dt, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    bw = float(sys.argv[5]) * 1e9 if len(sys.argv) > 5 else float("nan")
    dtype = {"f32": torch.float32, "bf16": torch.bfloat16}[dt]
    try:
        model = AutoModelForCausalLM.from_pretrained(d, dtype=dtype, attn_implementation="eager")
    except TypeError:
        model = AutoModelForCausalLM.from_pretrained(d, torch_dtype=dtype, attn_implementation="eager")
    model = model.cuda().eval()
    kept = []
    def hook(mod, inp, out):
        o = out[0] if isinstance(out, tuple) else out
        kept.append(o[:, -1].detach().float().cpu())
    for layer in model.model.layers:
        layer.register_forward_hook(hook)
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(0, model.config.vocab_size, (batch, 32), generator=g).cuda()
    mask = torch.ones_like(ids)
    kw = dict(do_sample=False, attention_mask=mask, pad_token_id=0, eos_token_id=None)
    with torch.no_grad():
        model.generate(ids, max_new_tokens=4, min_new_tokens=4, **kw)  # warm-up
        torch.cuda.synchronize(); t0 = time.perf_counter()
        model.generate(ids, max_new_tokens=1, min_new_tokens=1, **kw)
        torch.cuda.synchronize(); prefill = time.perf_counter() - t0
        kept.clear()
        torch.cuda.synchronize(); t0 = time.perf_counter()
        out = model.generate(ids, max_new_tokens=steps, min_new_tokens=steps, **kw)
        torch.cuda.synchronize(); total = time.perf_counter() - t0
    n = out.shape[1] - ids.shape[1]
    sec = total - prefill
    wbytes = sum(p.numel() * p.element_size() for p in model.parameters())
    frac = "n/a" if bw != bw else f"{100 * (n - 1) / sec * wbytes / bw:.0f}%"
    print(f"| {d.rstrip('/').split('/')[-1]} (HF {transformers.__version__} eager + hooks) | cuda | {dt} | {batch} | "
          f"all {len(model.model.layers)} | {batch * (n - 1) / sec:.1f} | {1000 * sec / (n - 1):.2f} | "
          f"{wbytes / 1e9:.2f} | {frac} |")
    assert len(kept) == len(model.model.layers) * n, (len(kept), n)

if __name__ == "__main__":
    main()
