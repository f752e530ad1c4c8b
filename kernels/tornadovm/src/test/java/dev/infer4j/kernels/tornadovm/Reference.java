package dev.infer4j.kernels.tornadovm;

import java.util.Random;

/** Plain double-precision reference implementations and test data, written independently of the kernels. */
final class Reference {
    private Reference() {
    }

    static float[] random(Random r, int n, float range) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * range;
        }
        return a;
    }

    /** {@code out[t, m] = Σ_k x[t, k] · w[m, k] (+ bias[m])}. */
    static double[] matmul(float[] x, float[] w, float[] bias, int n, int m, int k) {
        double[] out = new double[n * m];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < m; j++) {
                double s = bias == null ? 0 : bias[j];
                for (int c = 0; c < k; c++) {
                    s += (double) x[t * k + c] * w[j * k + c];
                }
                out[t * m + j] = s;
            }
        }
        return out;
    }

    /** {@code Σ_k |x[t, k] · w[m, k]|}: the scale of the float rounding a dot product may make. */
    static double[] matmulMagnitude(float[] x, float[] w, int n, int m, int k) {
        double[] out = new double[n * m];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    s += Math.abs((double) x[t * k + c] * w[j * k + c]);
                }
                out[t * m + j] = s;
            }
        }
        return out;
    }

    static double erf(double x) {
        // Abramowitz-Stegun 7.1.26 is too coarse for a reference; integrate the series instead (|x| small) or use erfc's continued fraction.
        double ax = Math.abs(x);
        double result;
        if (ax < 3) {
            double sum = 0;
            double term = ax;
            for (int n = 0; n < 200; n++) {
                sum += term / (2 * n + 1);
                term *= -ax * ax / (n + 1);
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // continued fraction for erfc, converges fast for large x
            double f = 0;
            for (int n = 60; n >= 1; n--) {
                f = n / 2.0 / (ax + f);
            }
            result = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -result : result;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    /** ggml-style Q8_0 of {@code values} (a multiple of 32): per block {@code d = max|x| / 127}, {@code q = round(x / d)}. */
    static byte[] quantizeQ8(float[] values) {
        int blocks = values.length / 32;
        byte[] out = new byte[blocks * 34];
        for (int b = 0; b < blocks; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(values[b * 32 + j]));
            }
            float d = amax / 127;
            short dBits = Float.floatToFloat16(d);
            out[b * 34] = (byte) dBits;
            out[b * 34 + 1] = (byte) (dBits >> 8);
            float inv = d == 0 ? 0 : 1 / d;
            for (int j = 0; j < 32; j++) {
                out[b * 34 + 2 + j] = (byte) Math.round(values[b * 32 + j] * inv);
            }
        }
        return out;
    }

    /** ggml-style Q4_0: {@code d = max / -8} (signed value of largest magnitude), {@code q = clamp(round(x / d) + 8, 0, 15)}. */
    static byte[] quantizeQ4(float[] values) {
        int blocks = values.length / 32;
        byte[] out = new byte[blocks * 18];
        for (int b = 0; b < blocks; b++) {
            float max = 0;
            for (int j = 0; j < 32; j++) {
                float v = values[b * 32 + j];
                if (Math.abs(v) > Math.abs(max)) {
                    max = v;
                }
            }
            float d = max / -8;
            short dBits = Float.floatToFloat16(d);
            out[b * 18] = (byte) dBits;
            out[b * 18 + 1] = (byte) (dBits >> 8);
            float inv = d == 0 ? 0 : 1 / d;
            for (int j = 0; j < 16; j++) {
                int lo = Math.min(15, Math.max(0, Math.round(values[b * 32 + j] * inv) + 8));
                int hi = Math.min(15, Math.max(0, Math.round(values[b * 32 + 16 + j] * inv) + 8));
                out[b * 18 + 2 + j] = (byte) (lo | hi << 4);
            }
        }
        return out;
    }

    /** Decodes Q8_0 ({@code blockBytes} 34) or Q4_0 (18) bytes to floats, straight from the ggml block layout. */
    static float[] dequantize(byte[] data, int blockBytes, int count) {
        float[] out = new float[count];
        for (int b = 0; b < count / 32; b++) {
            int at = b * blockBytes;
            float d = Float.float16ToFloat((short) ((data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8));
            for (int j = 0; j < 32; j++) {
                int q;
                if (blockBytes == 34) {
                    q = data[at + 2 + j];
                } else {
                    int packed = data[at + 2 + (j % 16)] & 0xFF;
                    q = (j < 16 ? packed & 0xF : packed >> 4) - 8;
                }
                out[b * 32 + j] = q * d;
            }
        }
        return out;
    }
}
