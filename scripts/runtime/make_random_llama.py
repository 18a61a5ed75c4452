"""Writes a random Llama checkpoint (config.json + model.safetensors) of a real model's shape, on the GPU machine.

Usage: python3 make_random_llama.py OUT_DIR 1b|8b [bf16|f32]
  1b: Llama-3.2-1B's shape (16 layers, hidden 2048, 32/8 heads, intermediate 8192, vocab 128256, tied head)
  8b: Llama-3.1-8B's shape (32 layers, hidden 4096, 32/8 heads, intermediate 14336, vocab 128256, untied head)
Weights ~ N(0, 0.02), norms 1, seeded: the speed of a decode step does not depend on the values.
"""
import json, os, sys, torch
from safetensors.torch import save_file

SHAPES = {
    "1b": dict(hidden_size=2048, intermediate_size=8192, num_hidden_layers=16, num_attention_heads=32,
               num_key_value_heads=8, tie_word_embeddings=True),
    "8b": dict(hidden_size=4096, intermediate_size=14336, num_hidden_layers=32, num_attention_heads=32,
               num_key_value_heads=8, tie_word_embeddings=False),
}

def main():
    out, shape = sys.argv[1], sys.argv[2]
    dtype = {"bf16": torch.bfloat16, "f32": torch.float32}[sys.argv[3] if len(sys.argv) > 3 else "bf16"]
    s = SHAPES[shape]
    cfg = dict(architectures=["LlamaForCausalLM"], model_type="llama", vocab_size=128256, max_position_embeddings=131072,
               rms_norm_eps=1e-5, rope_theta=500000.0, hidden_act="silu", attention_bias=False, mlp_bias=False,
               bos_token_id=128000, eos_token_id=128001,
               rope_scaling=dict(rope_type="llama3", factor=32.0 if shape == "1b" else 8.0, low_freq_factor=1.0,
                                 high_freq_factor=4.0, original_max_position_embeddings=8192),
               torch_dtype="bfloat16" if dtype == torch.bfloat16 else "float32", **s)
    os.makedirs(out, exist_ok=True)
    g = torch.Generator(device="cuda").manual_seed(0)
    h, i, v = s["hidden_size"], s["intermediate_size"], cfg["vocab_size"]
    hd = h // s["num_attention_heads"]
    kv = s["num_key_value_heads"] * hd
    def rnd(*shape):
        return (torch.randn(*shape, generator=g, device="cuda", dtype=torch.float32) * 0.02).to(dtype).cpu()
    t = {"model.embed_tokens.weight": rnd(v, h), "model.norm.weight": torch.ones(h, dtype=dtype)}
    if not s["tie_word_embeddings"]:
        t["lm_head.weight"] = rnd(v, h)
    for l in range(s["num_hidden_layers"]):
        p = f"model.layers.{l}."
        t[p + "input_layernorm.weight"] = torch.ones(h, dtype=dtype)
        t[p + "post_attention_layernorm.weight"] = torch.ones(h, dtype=dtype)
        t[p + "self_attn.q_proj.weight"] = rnd(h, h)
        t[p + "self_attn.k_proj.weight"] = rnd(kv, h)
        t[p + "self_attn.v_proj.weight"] = rnd(kv, h)
        t[p + "self_attn.o_proj.weight"] = rnd(h, h)
        t[p + "mlp.gate_proj.weight"] = rnd(i, h)
        t[p + "mlp.up_proj.weight"] = rnd(i, h)
        t[p + "mlp.down_proj.weight"] = rnd(h, i)
    save_file(t, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    n = sum(x.numel() for x in t.values())
    print(f"{out}: {shape}-shaped random Llama, {n / 1e9:.2f}B parameters, {sys.argv[3] if len(sys.argv) > 3 else 'bf16'}")

if __name__ == "__main__":
    main()
