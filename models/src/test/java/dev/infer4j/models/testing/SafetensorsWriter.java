package dev.infer4j.models.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@code .safetensors} files for tests, following the format description (header length, JSON header, data). */
public class SafetensorsWriter {
    private record Pending(String dtype, long[] shape, byte[] data) {
    }

    private final Map<String, Pending> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter add(String name, String dtype, long[] shape, byte[] data) {
        tensors.put(name, new Pending(dtype, shape, data));
        return this;
    }

    public SafetensorsWriter addFloats(String name, long[] shape, float[] values) {
        return add(name, "F32", shape, OnnxProtoWriter.floatsLE(values));
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** The header JSON this writer produces (offsets relative to the data section). */
    public String headerJson() {
        StringBuilder json = new StringBuilder("{");
        List<String> parts = new ArrayList<>();
        if (!metadata.isEmpty()) {
            StringBuilder m = new StringBuilder("\"__metadata__\":{");
            List<String> kv = new ArrayList<>();
            metadata.forEach((k, v) -> kv.add("\"" + k + "\":\"" + v + "\""));
            parts.add(m.append(String.join(",", kv)).append('}').toString());
        }
        long offset = 0;
        for (Map.Entry<String, Pending> e : tensors.entrySet()) {
            Pending p = e.getValue();
            StringBuilder shape = new StringBuilder("[");
            for (int i = 0; i < p.shape().length; i++) {
                shape.append(i == 0 ? "" : ",").append(p.shape()[i]);
            }
            shape.append(']');
            parts.add("\"" + e.getKey() + "\":{\"dtype\":\"" + p.dtype() + "\",\"shape\":" + shape
                    + ",\"data_offsets\":[" + offset + "," + (offset + p.data().length) + "]}");
            offset += p.data().length;
        }
        return json.append(String.join(",", parts)).append('}').toString();
    }

    public void write(Path file) throws IOException {
        writeWithHeader(file, headerJson());
    }

    /** Writes the data with an arbitrary (possibly broken) header, for negative tests. */
    public void writeWithHeader(Path file, String header) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        // pad the header with spaces so the data starts 8-byte aligned, as the reference writer does
        int padded = (h.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(h);
            for (int i = h.length; i < padded; i++) {
                out.write(' ');
            }
            for (Pending p : tensors.values()) {
                out.write(p.data());
            }
        }
    }
}
