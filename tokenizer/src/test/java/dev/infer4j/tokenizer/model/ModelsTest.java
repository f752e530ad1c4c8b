package dev.infer4j.tokenizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.infer4j.tokenizer.text.NormalizedText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The four models on hand-made vocabularies, with results worked out by hand from each algorithm's definition. */
class ModelsTest {

    static String run(TokenModel model, String word) {
        NormalizedText text = NormalizedText.of(word, 0, word.length());
        TokenBuffer out = new TokenBuffer(8);
        model.tokenize(text, 0, text.length(), out);
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            pieces.add(model.vocabulary().token(out.id(i)) + "@" + out.start(i) + "-" + out.end(i));
        }
        return String.join(" ", pieces);
    }

    @Test
    void wordPieceIsGreedyLongestFirstAndAllOrNothing() {
        Vocabulary v = new Vocabulary(new String[] {"[UNK]", "un", "##aff", "##able", "una", "##ffable", "##a"}, "v");
        WordPieceModel wp = new WordPieceModel(v, "[UNK]", "##", 10);
        assertEquals("una@0-3 ##ffable@3-9", run(wp, "unaffable"));
        assertEquals("[UNK]@0-4", run(wp, "unxa")); // 'x' has no piece: the whole word is unknown
        assertEquals("[UNK]@0-11", run(wp, "unaffableaa")); // longer than 10 chars
    }

    @Test
    void bpeMergesByRankLeftmostFirst() {
        Vocabulary v = new Vocabulary(new String[] {"a", "b", "c", "ab", "bc", "abc", "<0x78>", "<unk>"}, "v");
        MergeTable merges = BpeModel.mergeTable(v, new String[][] {{"b", "c"}, {"a", "b"}, {"a", "bc"}}, "m");
        BpeModel bpe = new BpeModel(v, merges, 7, true, false, false);
        assertEquals("abc@0-3", run(bpe, "abc")); // b+c first (rank 0), then a+bc
        assertEquals("ab@0-2 ab@2-4", run(bpe, "abab"));
        assertEquals("a@0-1 <unk>@1-3 b@3-4", run(bpe, "aqqb")); // unknowns fused
        BpeModel withBytes = new BpeModel(v, merges, 7, true, true, false);
        assertEquals("a@0-1 <0x78>@1-2 <unk>@2-3", run(withBytes, "axy")); // 'x' as a byte token, no <0x79>
        BpeModel whole = new BpeModel(v, merges, 7, false, false, true);
        assertEquals("abc@0-3", run(whole, "abc"));
    }

    @Test
    void sentencePieceMergesTheBestScoringPairAndFallsBackToBytes() {
        String[] pieces = {"<unk>", "<0xC3>", "<0xA9>", "a", "b", "c", "ab", "bc"};
        float[] scores = {0, 0, 0, -1, -1, -1, -5, -2};
        boolean[] mergeable = {false, false, false, true, true, true, true, true};
        SentencePieceBpeModel spm = new SentencePieceBpeModel(new Vocabulary(pieces, "v"), scores, mergeable, 0);
        assertEquals("a@0-1 bc@1-3", run(spm, "abc")); // bc scores better than ab
        assertEquals("ab@0-2 <0xC3>@2-3 <0xA9>@2-3 <unk>@3-4", run(spm, "abéz"));
    }

    @Test
    void unigramFindsTheBestScoringSegmentation() {
        String[] pieces = {"<unk>", "a", "b", "ab", "abc", "c", "bc"};
        double[] scores = {0, -1, -1, -1.5, -4, -1, -1.2};
        UnigramModel unigram = new UnigramModel(new Vocabulary(pieces, "v"), scores, 0, false);
        // ab + c = -2.5 beats abc = -4, a + bc = -2.2 beats both
        assertEquals("a@0-1 bc@1-3", run(unigram, "abc"));
        assertEquals("a@0-1 <unk>@1-3 a@3-4", run(unigram, "axya")); // unknowns fused
    }
}
