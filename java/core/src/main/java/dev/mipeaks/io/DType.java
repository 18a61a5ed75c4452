package dev.mipeaks.io;

import java.nio.ByteBuffer;

/** Element types of safetensors files that mipeaks reads and writes. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** Parses the safetensors spelling ("F32", "BF16", ...); null when unknown. */
    public static DType parse(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** Reads element {@code index} (not byte offset) of a little-endian buffer as a double. */
    public double getAsDouble(ByteBuffer buf, long index) {
        int at = Math.toIntExact(index * bytes);
        switch (this) {
            case F64: return buf.getDouble(at);
            case F32: return buf.getFloat(at);
            case F16: return Half.toFloat(buf.getShort(at));
            case BF16: return Float.intBitsToFloat((buf.getShort(at) & 0xffff) << 16);
            default: return getAsLong(buf, index); // the integer types, read exactly
        }
    }

    /** Reads element {@code index} of an integer tensor exactly. */
    public long getAsLong(ByteBuffer buf, long index) {
        int at = Math.toIntExact(index * bytes);
        switch (this) {
            case I64: return buf.getLong(at);
            case I32: return buf.getInt(at);
            case I16: return buf.getShort(at);
            case I8: return buf.get(at);
            case U8: return buf.get(at) & 0xff;
            case BOOL: return buf.get(at) != 0 ? 1 : 0;
            default: return (long) getAsDouble(buf, index);
        }
    }

    /** IEEE half precision conversions (binary16). */
    public static final class Half {
        private Half() {
        }

        public static float toFloat(short h) {
            int bits = h & 0xffff;
            int sign = (bits & 0x8000) << 16;
            int exp = (bits >>> 10) & 0x1f;
            int mant = bits & 0x3ff;
            if (exp == 0) {
                if (mant == 0) {
                    return Float.intBitsToFloat(sign);
                }
                // subnormal: value = mant * 2^-24
                float v = mant * 0x1p-24f;
                return sign != 0 ? -v : v;
            }
            if (exp == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
            }
            return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
        }

        public static short fromFloat(float f) {
            int bits = Float.floatToRawIntBits(f);
            int sign = (bits >>> 16) & 0x8000;
            int val = (bits & 0x7fffffff);
            if (val >= 0x7f800000) { // Inf or NaN
                return (short) (sign | 0x7c00 | (val > 0x7f800000 ? 0x200 : 0));
            }
            if (val >= 0x477ff000) { // rounds to >= 65520: overflow to Inf
                return (short) (sign | 0x7c00);
            }
            if (val < 0x38800000) { // |f| < 2^-14: subnormal or zero in half
                // scaling by 2^24 is exact in float; rint rounds ties to even like the hardware
                int res = (int) Math.rint(Float.intBitsToFloat(val) * 0x1p24f);
                return (short) (sign | res);
            }
            int e = (val >>> 23) - 127 + 15;
            int m = val & 0x7fffff;
            int res = (e << 10) | (m >>> 13);
            int rem = m & 0x1fff;
            if (rem > 0x1000 || (rem == 0x1000 && (res & 1) != 0)) {
                res++;
            }
            return (short) (sign | res);
        }
    }

    /** bfloat16 from float with round-to-nearest-even, as PyTorch converts. */
    public static short bf16FromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int lsb = (bits >>> 16) & 1;
        bits += 0x7fff + lsb;
        return (short) (bits >>> 16);
    }
}
