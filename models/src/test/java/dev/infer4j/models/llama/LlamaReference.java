package dev.infer4j.models.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.models.testing.SharedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One llama.cpp reference run from {@code shared/models/&lt;model&gt;/reference/*.json} (see the README there):
 * prompt tokens, the top-10 logits at every prompt position, the 32 greedy tokens with the top-10 logits each
 * was chosen from, and the whole vocabulary's logits for the first steps.
 */
record LlamaReference(String name, Path model, String prompt, int[] promptTokens, float[][][] promptTop,
                      int[] generatedTokens, float[][][] stepTop, float[][] fullLogits) {

    static LlamaReference load(String modelDir, String json) {
        Path file = SharedModels.file("models/" + modelDir + "/reference/" + json);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Path model = SharedModels.file("models/" + modelDir + "/" + root.get("model_file").asText());
        return new LlamaReference(json, model, root.get("prompt").asText(), ints(root.get("prompt_tokens")),
                tops(root.get("prompt_position_top")), ints(root.get("generated_tokens")), tops(root.get("step_top")),
                rows(root.get("full_logits")));
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    /** Per entry, pairs {@code [id, logit]} best first. */
    private static float[][][] tops(JsonNode a) {
        float[][][] r = new float[a.size()][][];
        for (int i = 0; i < r.length; i++) {
            JsonNode top = a.get(i).get("top");
            r[i] = new float[top.size()][];
            for (int j = 0; j < top.size(); j++) {
                r[i][j] = new float[] {(float) top.get(j).get(0).asDouble(), (float) top.get(j).get(1).asDouble()};
            }
        }
        return r;
    }

    private static float[][] rows(JsonNode a) {
        float[][] r = new float[a.size()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = new float[a.get(i).size()];
            for (int j = 0; j < r[i].length; j++) {
                r[i][j] = (float) a.get(i).get(j).asDouble();
            }
        }
        return r;
    }

    @Override
    public String toString() {
        return name;
    }
}
