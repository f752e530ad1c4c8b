package dev.infer4j.benchmarks.encoders;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Distinct English texts of an exact token count (special tokens included), counted by Hugging Face's tokenizer. */
final class BenchmarkTexts {
    private static final String[] WORDS = ("the of and to in is was for on that with as by at from his her they "
            + "have had not are but this which one all were when there can an their more time would been about "
            + "who so people into only other new some could these two may first then do any like my now over such "
            + "our man me even most made after also did many before must through back years where much your way "
            + "well down should because each just those how too little state good very make world still own see "
            + "men work long get here between both life being under never day same another know while last might "
            + "us great old year off come since against go came right used take three city house music river "
            + "garden window market letter morning evening winter summer table water light story").split(" ");

    private BenchmarkTexts() {
    }

    static List<String> exactly(HuggingFaceTokenizer tokenizer, int count, int tokens, long seed) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            StringBuilder text = new StringBuilder();
            int length = tokenizer.encode(text.toString()).getIds().length;
            int attempts = 0;
            while (length < tokens) {
                String word = WORDS[random.nextInt(WORDS.length)];
                String candidate = text.isEmpty() ? word : text + " " + word;
                int n = tokenizer.encode(candidate).getIds().length;
                if (n <= tokens) {
                    text = new StringBuilder(candidate);
                    length = n;
                } else if (++attempts > 1000) {
                    throw new IllegalStateException("cannot reach exactly " + tokens + " tokens");
                }
            }
            texts.add(text.toString());
        }
        return texts;
    }
}
