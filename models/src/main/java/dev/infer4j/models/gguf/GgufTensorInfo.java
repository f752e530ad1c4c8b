package dev.infer4j.models.gguf;

import dev.infer4j.kernels.DType;
import java.util.Arrays;

/**
 * One tensor as a GGUF header describes it.
 *
 * @param name       the GGUF tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param ne         the dimensions as GGUF stores them, innermost first ({@code [columns, rows, ...]})
 * @param dtype      the element type
 * @param dataOffset the byte offset of its data from the start of the file's data section
 * @param byteSize   bytes of data
 */
public record GgufTensorInfo(String name, long[] ne, DType dtype, long dataOffset, long byteSize) {
    public GgufTensorInfo {
        ne = ne.clone();
    }

    @Override
    public long[] ne() {
        return ne.clone();
    }

    /** The dimensions outermost first, as {@link dev.infer4j.kernels.Tensor} orders them (GGUF's {@code ne} reversed). */
    public long[] shape() {
        long[] s = new long[ne.length];
        for (int i = 0; i < ne.length; i++) {
            s[i] = ne[ne.length - 1 - i];
        }
        return s;
    }

    public long elementCount() {
        long n = 1;
        for (long d : ne) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " ne=" + Arrays.toString(ne) + " @" + dataOffset;
    }

    private static final String[] GGML_TYPE_NAMES = {
        "F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",
        "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M",
        "BF16", "Q4_0_4_4", "Q4_0_4_8", "Q4_0_8_8", "TQ1_0", "TQ2_0", "IQ4_NL_4_4", "IQ4_NL_4_8", "IQ4_NL_8_8", "MXFP4"};

    /** The ggml name of a tensor type number (e.g. {@code Q5_K}) for messages, or {@code unknown} if ggml has none. */
    public static String ggmlTypeName(long ggmlType) {
        return ggmlType >= 0 && ggmlType < GGML_TYPE_NAMES.length ? GGML_TYPE_NAMES[(int) ggmlType] : "unknown";
    }
}
