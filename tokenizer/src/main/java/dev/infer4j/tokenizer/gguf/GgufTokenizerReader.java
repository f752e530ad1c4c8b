package dev.infer4j.tokenizer.gguf;

import dev.infer4j.tokenizer.SpecialTokens;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.decode.ByteFallbackDecoder;
import dev.infer4j.tokenizer.decode.ByteLevelDecoder;
import dev.infer4j.tokenizer.decode.Decoder;
import dev.infer4j.tokenizer.decode.FuseDecoder;
import dev.infer4j.tokenizer.decode.ReplaceDecoder;
import dev.infer4j.tokenizer.decode.SequenceDecoder;
import dev.infer4j.tokenizer.decode.StripDecoder;
import dev.infer4j.tokenizer.decode.WordPieceDecoder;
import dev.infer4j.tokenizer.model.BpeModel;
import dev.infer4j.tokenizer.model.MergeTable;
import dev.infer4j.tokenizer.model.SentencePieceBpeModel;
import dev.infer4j.tokenizer.model.Vocabulary;
import dev.infer4j.tokenizer.model.WordPieceModel;
import dev.infer4j.tokenizer.normalize.BertNormalizer;
import dev.infer4j.tokenizer.normalize.Normalizer;
import dev.infer4j.tokenizer.normalize.PrependNormalizer;
import dev.infer4j.tokenizer.normalize.ReplaceNormalizer;
import dev.infer4j.tokenizer.normalize.SequenceNormalizer;
import dev.infer4j.tokenizer.pipeline.AddedToken;
import dev.infer4j.tokenizer.pipeline.AddedVocabulary;
import dev.infer4j.tokenizer.pipeline.Pipeline;
import dev.infer4j.tokenizer.pipeline.PipelineTokenizer;
import dev.infer4j.tokenizer.postprocess.ByteLevelProcessor;
import dev.infer4j.tokenizer.postprocess.PostProcessor;
import dev.infer4j.tokenizer.postprocess.SequenceProcessor;
import dev.infer4j.tokenizer.postprocess.TemplateProcessor;
import dev.infer4j.tokenizer.postprocess.TemplateProcessor.Piece;
import dev.infer4j.tokenizer.postprocess.TemplateProcessor.SequencePiece;
import dev.infer4j.tokenizer.postprocess.TemplateProcessor.SpecialPiece;
import dev.infer4j.tokenizer.pretokenize.BertPreTokenizer;
import dev.infer4j.tokenizer.text.LiteralPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Builds the Hugging Face-equivalent tokenizer from GGUF {@code tokenizer.ggml.*} metadata: {@code llama}
 * (SentencePiece BPE by scores, byte fallback), {@code gpt2} (byte-level BPE by merges, pre-tokenized per
 * {@code tokenizer.ggml.pre}) and {@code bert} (WordPiece; GGUF marks word starts with {@code ▁} instead of marking
 * continuations with {@code ##}, which is undone here).
 */
public final class GgufTokenizerReader {

    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int UNUSED = 5;
    static final int BYTE = 6;

    private static final String SPACE_MARK = "\u2581";

    private GgufTokenizerReader() {
    }

    public static PipelineTokenizer read(Map<String, Object> metadata) {
        GgufMetadata m = new GgufMetadata(metadata);
        String model = m.string("tokenizer.ggml.model");
        String[] tokens = m.strings("tokenizer.ggml.tokens");
        if (tokens.length == 0) {
            throw new TokenizerFormatException("tokenizer.ggml.tokens", "is empty");
        }
        int[] types = tokenTypes(m, tokens.length);
        return switch (model) {
            case "llama" -> sentencePiece(m, tokens, types);
            case "gpt2" -> byteLevelBpe(m, tokens, types);
            case "bert" -> wordPiece(m, tokens, types);
            default -> throw new TokenizerFormatException("tokenizer.ggml.model",
                    "unsupported tokenizer model '" + model + "' (supported: llama, gpt2, bert)");
        };
    }

    private static int[] tokenTypes(GgufMetadata m, int n) {
        if (!m.has("tokenizer.ggml.token_type")) {
            int[] types = new int[n];
            java.util.Arrays.fill(types, NORMAL);
            return types;
        }
        int[] types = m.ints("tokenizer.ggml.token_type");
        if (types.length != n) {
            throw new TokenizerFormatException("tokenizer.ggml.token_type", "has " + types.length
                    + " entries for " + n + " tokens");
        }
        for (int i = 0; i < n; i++) {
            if (types[i] < 0 || types[i] > BYTE) {
                throw new TokenizerFormatException("tokenizer.ggml.token_type[" + i + "]",
                        "unknown token type " + types[i]);
            }
        }
        return types;
    }

    private static PipelineTokenizer sentencePiece(GgufMetadata m, String[] tokens, int[] types) {
        float[] scores = m.floats("tokenizer.ggml.scores");
        if (scores.length != tokens.length) {
            throw new TokenizerFormatException("tokenizer.ggml.scores", "has " + scores.length + " entries for "
                    + tokens.length + " tokens");
        }
        Vocabulary vocabulary = new Vocabulary(tokens, "tokenizer.ggml.tokens");
        boolean[] mergeable = new boolean[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            mergeable[i] = types[i] == NORMAL || types[i] == USER_DEFINED || types[i] == UNUSED;
        }
        int unk = m.tokenId("tokenizer.ggml.unknown_token_id", tokens.length);
        SentencePieceBpeModel model = new SentencePieceBpeModel(vocabulary, scores, mergeable,
                unk >= 0 ? unk : vocabulary.id("<unk>"));
        boolean addSpacePrefix = m.bool("tokenizer.ggml.add_space_prefix", true);
        List<Normalizer> steps = new ArrayList<>();
        if (addSpacePrefix) {
            steps.add(new PrependNormalizer(SPACE_MARK));
        }
        steps.add(new ReplaceNormalizer(new LiteralPattern(" "), SPACE_MARK));
        List<Decoder> decoders = new ArrayList<>(List.of(new ReplaceDecoder(new LiteralPattern(SPACE_MARK), " "),
                new ByteFallbackDecoder(), new FuseDecoder()));
        if (addSpacePrefix) {
            decoders.add(new StripDecoder(' ', 1, 0));
        }
        Normalizer normalizer = new SequenceNormalizer(steps);
        AddedVocabulary added = addedTokens(tokens, types, normalizer, isPhi3(m));
        SpecialTokens specials = specialTokens(m, tokens.length);
        PostProcessor post = bosEos(m, specials, true);
        return new PipelineTokenizer(new Pipeline(normalizer, null, model, post, new SequenceDecoder(decoders), added,
                specials), null, null);
    }

    private static PipelineTokenizer byteLevelBpe(GgufMetadata m, String[] tokens, int[] types) {
        Vocabulary vocabulary = new Vocabulary(tokens, "tokenizer.ggml.tokens");
        String[] mergeLines = m.strings("tokenizer.ggml.merges");
        String[][] rules = new String[mergeLines.length][];
        for (int i = 0; i < mergeLines.length; i++) {
            int space = mergeLines[i].indexOf(' ', 1);
            if (space < 0 || space == mergeLines[i].length() - 1) {
                throw new TokenizerFormatException("tokenizer.ggml.merges[" + i + "]",
                        "must be two tokens separated by a space, got '" + mergeLines[i] + "'");
            }
            rules[i] = new String[] {mergeLines[i].substring(0, space), mergeLines[i].substring(space + 1)};
        }
        MergeTable merges = BpeModel.mergeTable(vocabulary, rules, "tokenizer.ggml.merges");
        ByteLevelPreTypes.Spec spec = ByteLevelPreTypes.forPre(m.string("tokenizer.ggml.pre", "default"));
        int unk = m.tokenId("tokenizer.ggml.unknown_token_id", tokens.length);
        BpeModel model = new BpeModel(vocabulary, merges, unk, false, false, spec.ignoreMerges());
        AddedVocabulary added = addedTokens(tokens, types, spec.normalizer(), false);
        SpecialTokens specials = specialTokens(m, tokens.length);
        PostProcessor trim = new ByteLevelProcessor(true, false, vocabulary::token);
        PostProcessor template = bosEos(m, specials, false);
        PostProcessor post = template == null ? trim : new SequenceProcessor(List.of(trim, template));
        return new PipelineTokenizer(new Pipeline(spec.normalizer(), spec.preTokenizer(), model, post,
                new ByteLevelDecoder(), added, specials), null, null);
    }

    private static PipelineTokenizer wordPiece(GgufMetadata m, String[] ggufTokens, int[] types) {
        String[] tokens = new String[ggufTokens.length];
        for (int i = 0; i < tokens.length; i++) {
            String t = ggufTokens[i];
            if (types[i] == CONTROL || (t.startsWith("[") && t.endsWith("]"))) {
                tokens[i] = t;
            } else if (t.startsWith(SPACE_MARK)) {
                tokens[i] = t.substring(SPACE_MARK.length());
            } else {
                tokens[i] = "##" + t;
            }
        }
        Vocabulary vocabulary = new Vocabulary(tokens, "tokenizer.ggml.tokens");
        int unk = m.tokenId("tokenizer.ggml.unknown_token_id", tokens.length);
        if (unk < 0) {
            unk = vocabulary.id("[UNK]");
            if (unk < 0) {
                throw new TokenizerFormatException("tokenizer.ggml.unknown_token_id",
                        "is missing and there is no [UNK]");
            }
        }
        WordPieceModel model = new WordPieceModel(vocabulary, tokens[unk], "##", 100);
        Normalizer normalizer = new BertNormalizer(true, true, null, true);
        AddedVocabulary added = addedTokens(tokens, types, normalizer, false);
        SpecialTokens specials = specialTokens(m, tokens.length);
        int cls = specials.cls().orElseThrow(() -> new TokenizerFormatException("tokenizer.ggml.cls_token_id",
                "is missing"));
        int sep = specials.sep().orElseThrow(() -> new TokenizerFormatException("tokenizer.ggml.seperator_token_id",
                "is missing"));
        PostProcessor post = TemplateProcessor.bert(tokens[cls], cls, tokens[sep], sep);
        return new PipelineTokenizer(new Pipeline(normalizer, new BertPreTokenizer(), model, post,
                new WordPieceDecoder("##", true), added, specials), null, null);
    }

    /**
     * Control, user-defined and unknown tokens are found in text before the model runs, as HF's added tokens.
     *
     * @param rstripSpecials Phi-3: its tokenizer.json gives the chat tokens ({@code <|user|>}, {@code <|end|>},
     *                       {@code </s>}, ...) {@code rstrip}, so the newline after them is part of the token; GGUF does
     *                       not record it, so, like llama.cpp, we restore it by model
     */
    private static AddedVocabulary addedTokens(String[] tokens, int[] types, Normalizer normalizer,
                                               boolean rstripSpecials) {
        List<AddedToken> added = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (types[i] == CONTROL || types[i] == UNKNOWN || types[i] == USER_DEFINED) {
                boolean rstrip = rstripSpecials && types[i] != UNKNOWN && !tokens[i].equals("<unk>")
                        && !tokens[i].equals("<s>") && !tokens[i].equals("<|endoftext|>");
                added.add(new AddedToken(i, tokens[i], false, false, rstrip, false, types[i] != USER_DEFINED));
            }
        }
        return new AddedVocabulary(added, normalizer);
    }

    /** Whether the vocabulary is Phi-3's (by architecture or name, as llama.cpp decides). */
    private static boolean isPhi3(GgufMetadata m) {
        String arch = m.string("general.architecture", "").toLowerCase(java.util.Locale.ROOT);
        String name = m.string("general.name", "").toLowerCase(java.util.Locale.ROOT);
        return arch.equals("phi3") || name.contains("phi-3") || name.contains("phi3");
    }

    private static SpecialTokens specialTokens(GgufMetadata m, int n) {
        return new SpecialTokens(id(m, "tokenizer.ggml.bos_token_id", n), id(m, "tokenizer.ggml.eos_token_id", n),
                id(m, "tokenizer.ggml.eot_token_id", n), id(m, "tokenizer.ggml.padding_token_id", n),
                id(m, "tokenizer.ggml.unknown_token_id", n), id(m, "tokenizer.ggml.cls_token_id", n),
                id(m, "tokenizer.ggml.seperator_token_id", n), id(m, "tokenizer.ggml.mask_token_id", n));
    }

    private static OptionalInt id(GgufMetadata m, String key, int n) {
        int id = m.tokenId(key, n);
        return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * BOS and/or EOS around each sequence as {@code tokenizer.ggml.add_bos_token} / {@code add_eos_token} say
     * (defaults: BOS for SentencePiece, nothing for byte-level BPE); null when nothing is added.
     */
    private static PostProcessor bosEos(GgufMetadata m, SpecialTokens specials, boolean bosByDefault) {
        boolean addBos = m.bool("tokenizer.ggml.add_bos_token", bosByDefault);
        boolean addEos = m.bool("tokenizer.ggml.add_eos_token", false);
        if (addBos && specials.bos().isEmpty()) {
            throw new TokenizerFormatException("tokenizer.ggml.bos_token_id", "is missing but add_bos_token is set");
        }
        if (addEos && specials.eos().isEmpty()) {
            throw new TokenizerFormatException("tokenizer.ggml.eos_token_id", "is missing but add_eos_token is set");
        }
        if (!addBos && !addEos) {
            return null;
        }
        List<Piece> single = new ArrayList<>();
        List<Piece> pair = new ArrayList<>();
        for (int seq = 0; seq < 2; seq++) {
            List<Piece> target = seq == 0 ? single : pair;
            for (int part = 0; part <= seq; part++) {
                if (addBos) {
                    target.add(new SpecialPiece("bos", new int[] {specials.bos().getAsInt()}, part));
                }
                target.add(new SequencePiece(part == 1, part));
                if (addEos) {
                    target.add(new SpecialPiece("eos", new int[] {specials.eos().getAsInt()}, part));
                }
            }
        }
        return new TemplateProcessor(single, pair);
    }
}
