package dev.infer4j.tokenizer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds tokenizer.json files from the vocabularies of the shared GGUF files, so that Hugging Face (through DJL) can
 * serve as the reference on the whole corpus for pipelines we have no real tokenizer.json for: byte-level BPE with
 * every pre-tokenizer type, SentencePiece-style BPE with byte fallback, Unigram.
 */
public final class SyntheticTokenizerJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SyntheticTokenizerJson() {
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A BPE tokenizer.json from a GGUF byte-level vocabulary and merges, with the given pipeline sections. */
    public static byte[] byteLevelBpe(Map<String, Object> gguf, String normalizer, String preTokenizer,
                                      String postProcessor, boolean ignoreMerges) {
        String[] tokens = (String[]) gguf.get("tokenizer.ggml.tokens");
        String[] merges = (String[]) gguf.get("tokenizer.ggml.merges");
        int[] types = (int[]) gguf.get("tokenizer.ggml.token_type");
        ObjectNode root = root(normalizer, preTokenizer, postProcessor, "{\"type\": \"ByteLevel\", "
                + "\"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true}");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < tokens.length; i++) {
            if (types[i] == 3) {
                addedToken(added, i, tokens[i]);
            }
        }
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("unk_token");
        model.put("ignore_merges", ignoreMerges);
        vocab(model, tokens);
        ArrayNode m = model.putArray("merges");
        for (String merge : merges) {
            m.add(merge);
        }
        return bytes(root);
    }

    /**
     * A SentencePiece-style BPE tokenizer.json (byte fallback, fused unknowns) from a GGUF {@code llama} vocabulary;
     * merges are derived from the piece scores (every split of a piece into two pieces, the best-scoring piece first).
     */
    public static byte[] sentencePieceBpe(Map<String, Object> gguf, String normalizer, String preTokenizer,
                                          String decoder) {
        String[] tokens = (String[]) gguf.get("tokenizer.ggml.tokens");
        float[] scores = (float[]) gguf.get("tokenizer.ggml.scores");
        int[] types = (int[]) gguf.get("tokenizer.ggml.token_type");
        ObjectNode root = root(normalizer, preTokenizer, null, decoder);
        ArrayNode added = root.putArray("added_tokens");
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            ids.put(tokens[i], i);
            if (types[i] == 2 || types[i] == 3) {
                addedToken(added, i, tokens[i]);
            }
        }
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.put("unk_token", tokens[0]);
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        vocab(model, tokens);
        Integer[] order = new Integer[tokens.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]) != 0
                ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
        ArrayNode m = model.putArray("merges");
        for (int id : order) {
            if (types[id] != 1) {
                continue;
            }
            String piece = tokens[id];
            for (int k = 1; k < piece.length(); k++) {
                if (Character.isLowSurrogate(piece.charAt(k))) {
                    continue;
                }
                String left = piece.substring(0, k);
                String right = piece.substring(k);
                if (ids.containsKey(left) && ids.containsKey(right)) {
                    m.add(MAPPER.createArrayNode().add(left).add(right));
                }
            }
        }
        return bytes(root);
    }

    /** A Unigram tokenizer.json from a GGUF {@code llama} vocabulary and scores. */
    public static byte[] unigram(Map<String, Object> gguf, String normalizer, String preTokenizer, String decoder,
                                 boolean byteFallback) {
        String[] tokens = (String[]) gguf.get("tokenizer.ggml.tokens");
        float[] scores = (float[]) gguf.get("tokenizer.ggml.scores");
        int[] types = (int[]) gguf.get("tokenizer.ggml.token_type");
        ObjectNode root = root(normalizer, preTokenizer, null, decoder);
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < tokens.length; i++) {
            if (types[i] == 2 || types[i] == 3) {
                addedToken(added, i, tokens[i]);
            }
        }
        ObjectNode model = root.putObject("model");
        model.put("type", "Unigram");
        model.put("unk_id", 0);
        model.put("byte_fallback", byteFallback);
        ArrayNode vocab = model.putArray("vocab");
        for (int i = 0; i < tokens.length; i++) {
            vocab.add(MAPPER.createArrayNode().add(tokens[i]).add((double) scores[i]));
        }
        return bytes(root);
    }

    private static ObjectNode root(String normalizer, String preTokenizer, String postProcessor, String decoder) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.set("normalizer", normalizer == null ? MAPPER.nullNode() : parse(normalizer));
        root.set("pre_tokenizer", preTokenizer == null ? MAPPER.nullNode() : parse(preTokenizer));
        root.set("post_processor", postProcessor == null ? MAPPER.nullNode() : parse(postProcessor));
        root.set("decoder", decoder == null ? MAPPER.nullNode() : parse(decoder));
        return root;
    }

    private static void addedToken(ArrayNode added, int id, String content) {
        ObjectNode t = added.addObject();
        t.put("id", id);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", true);
    }

    private static void vocab(ObjectNode model, String[] tokens) {
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.length; i++) {
            if (!vocab.has(tokens[i])) {
                vocab.put(tokens[i], i);
            }
        }
    }

    private static byte[] bytes(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
