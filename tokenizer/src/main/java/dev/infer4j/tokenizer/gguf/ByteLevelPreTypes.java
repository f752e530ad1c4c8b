package dev.infer4j.tokenizer.gguf;

import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.normalize.Normalizer;
import dev.infer4j.tokenizer.normalize.UnicodeNormalizer;
import dev.infer4j.tokenizer.pretokenize.ByteLevelPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.CharClassPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.PreTokenizer;
import dev.infer4j.tokenizer.pretokenize.SequencePreTokenizer;
import dev.infer4j.tokenizer.pretokenize.SplitBehavior;
import dev.infer4j.tokenizer.pretokenize.SplitPreTokenizer;
import dev.infer4j.tokenizer.text.Patterns;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hugging Face pre-tokenization of byte-level BPE models, keyed by GGUF's {@code tokenizer.ggml.pre}: what the
 * model's tokenizer.json says, since GGUF only names it.
 */
final class ByteLevelPreTypes {

    /** The pre-tokenizer, normalizer and merge options of one {@code pre} type. */
    record Spec(PreTokenizer preTokenizer, Normalizer normalizer, boolean ignoreMerges) {
    }

    private ByteLevelPreTypes() {
    }

    static Spec forPre(String pre) {
        return switch (pre) {
            case "default", "gpt-2", "gpt2", "mpt", "olmo", "jais", "roberta-bpe" ->
                    new Spec(byteLevel(true), null, false);
            case "starcoder", "refact", "smollm", "codeshell", "exaone", "minerva" ->
                    new Spec(sequence(CharClassPreTokenizer.digits(true), byteLevel(true)), null, false);
            case "command-r" -> new Spec(sequence(CharClassPreTokenizer.digits(true), byteLevel(true)),
                    new UnicodeNormalizer(Form.NFC), false);
            case "falcon" -> new Spec(sequence(CharClassPreTokenizer.punctuation(SplitBehavior.CONTIGUOUS),
                    byteLevel(true), CharClassPreTokenizer.digits(false), split("[0-9][0-9][0-9]")), null, false);
            case "deepseek-coder" -> new Spec(sequence(split("[\\r\\n]"), split("\\s?\\p{L}+"), split("\\s?\\p{P}+"),
                    split(Patterns.DEEPSEEK_CJK), CharClassPreTokenizer.digits(true), byteLevel(false)), null, false);
            case "deepseek-llm" -> new Spec(sequence(split("[\\r\\n]"), split(Patterns.DEEPSEEK_LLM_LETTERS),
                    split(Patterns.DEEPSEEK_LLM_PUNCTUATION), split("\\s+$"), split(Patterns.DEEPSEEK_CJK),
                    CharClassPreTokenizer.digits(true), byteLevel(false)), null, false);
            case "llama3", "llama-bpe", "llama-v3", "dbrx", "smaug-bpe", "chatglm-bpe" ->
                    new Spec(sequence(split(Patterns.LLAMA3), byteLevel(false)), null, true);
            case "qwen2", "deepseek-r1-qwen", "stablelm2", "megrez" ->
                    new Spec(sequence(split(Patterns.QWEN2), byteLevel(false)), new UnicodeNormalizer(Form.NFC), false);
            case "tekken" -> new Spec(sequence(split(Patterns.TEKKEN), byteLevel(false)), null, true);
            default -> throw new TokenizerFormatException("tokenizer.ggml.pre",
                    "unsupported byte-level pre-tokenizer type '" + pre + "'");
        };
    }

    private static PreTokenizer byteLevel(boolean useRegex) {
        return new ByteLevelPreTokenizer(false, useRegex);
    }

    private static PreTokenizer split(String regex) {
        return new SplitPreTokenizer(Patterns.regex(regex), SplitBehavior.ISOLATED, false);
    }

    private static PreTokenizer sequence(PreTokenizer... steps) {
        return new SequencePreTokenizer(new ArrayList<>(List.of(steps)));
    }
}
