"""Compares two `mipeaks run` folders problem by problem: token ids and stored states must be identical, MI equal
within 1e-9 relative (GPU and CPU engines agree to ~1e-10). Prints one Markdown line per problem; exit 1 on a mismatch.
Usage: python3 compare_runs.py RUN_A RUN_B
"""
import glob, json, os, struct, sys
import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "U16": np.uint16, "BF16": np.uint16,
          "F16": np.float16}

def load_file(path):
    """The tensors of a safetensors file as numpy arrays (BF16 as raw uint16: compared bit for bit)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        out[k] = np.frombuffer(data[a:b], dtype=DTYPES[v["dtype"]]).reshape(v["shape"])
    return out

def main():
    a, b = sys.argv[1], sys.argv[2]
    fa = sorted(glob.glob(os.path.join(a, "problems", "*.safetensors")))
    bad = 0
    if not fa:
        print(f"no problems in {a}"); sys.exit(1)
    for f in fa:
        g = os.path.join(b, "problems", os.path.basename(f))
        x, y = load_file(f), load_file(g)
        if sorted(x) != sorted(y):
            print(f"- {os.path.basename(f)}: tensor names differ"); bad += 1; continue
        same, worst = True, 0.0
        for k in x:
            if k.startswith("mi."):
                d = np.abs(x[k].astype(np.float64) - y[k].astype(np.float64))
                worst = max(worst, float((d / np.maximum(1.0, np.abs(y[k]))).max()) if d.size else 0.0)
            elif not np.array_equal(x[k], y[k]):
                same = False
        steps = x["token_ids"].shape[0]
        ok = same and worst <= 1e-9
        bad += not ok
        print(f"- {os.path.basename(f)}: {steps} steps, ids and states {'identical' if same else 'DIFFER'}, "
              f"MI max rel diff {worst:.1e} {'ok' if ok else 'MISMATCH'}")
    sys.exit(1 if bad else 0)

if __name__ == "__main__":
    main()
