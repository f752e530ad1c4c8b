package dev.infer4j.tokenizer.model;

import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.Utf8;

/**
 * Byte-pair encoding with merge ranks (Hugging Face's {@code BPE} model): a word starts as one symbol per code point
 * and the adjacent pair with the lowest-ranked merge rule is merged until none applies (ties go to the leftmost pair).
 * Code points missing from the vocabulary become byte tokens ({@code <0xE2>}) with byte fallback, or the unknown
 * token (consecutive ones fused when {@code fuseUnk}).
 */
public final class BpeModel implements TokenModel {

    private final Vocabulary vocabulary;
    private final MergeTable merges;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final int[] byteIds; // id of <0xHH> per byte, -1 when absent
    private final ThreadLocal<MergeScratch> scratch = ThreadLocal.withInitial(MergeScratch::new);

    /**
     * @param unkId -1 when the model has no unknown token (then unknown code points are dropped, as in HF)
     */
    public BpeModel(Vocabulary vocabulary, MergeTable merges, int unkId, boolean fuseUnk, boolean byteFallback,
                    boolean ignoreMerges) {
        this.vocabulary = vocabulary;
        this.merges = merges;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.byteIds = byteTokenIds(vocabulary);
    }

    /**
     * Builds the merge table from {@code "left right"} rules, in priority order.
     *
     * @param field where the rules come from, for error messages
     */
    public static MergeTable mergeTable(Vocabulary vocabulary, String[][] rules, String field) {
        MergeTable table = new MergeTable(rules.length);
        for (int rank = 0; rank < rules.length; rank++) {
            String left = rules[rank][0];
            String right = rules[rank][1];
            int l = vocabulary.id(left);
            int r = vocabulary.id(right);
            int m = vocabulary.id(left + right);
            if (l < 0 || r < 0) {
                throw new TokenizerFormatException(field + "[" + rank + "]",
                        "merge '" + left + " " + right + "' uses a token missing from the vocabulary");
            }
            if (m < 0) {
                throw new TokenizerFormatException(field + "[" + rank + "]",
                        "merge '" + left + " " + right + "' makes '" + left + right
                                + "', which is not in the vocabulary");
            }
            table.put(l, r, rank, m);
        }
        return table;
    }

    static int[] byteTokenIds(Vocabulary vocabulary) {
        int[] ids = new int[256];
        for (int b = 0; b < 256; b++) {
            ids[b] = vocabulary.id(String.format("<0x%02X>", b));
        }
        return ids;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public void tokenize(NormalizedText text, int start, int end, TokenBuffer out) {
        char[] chars = text.chars();
        if (ignoreMerges) {
            int whole = vocabulary.id(chars, start, end);
            if (whole >= 0) {
                out.add(whole, start, end);
                return;
            }
        }
        MergeScratch s = scratch.get();
        if (s.cache.get(chars, start, end, out)) {
            return;
        }
        int firstToken = out.size();
        s.reset(end - start);
        int pendingUnk = -1; // start of an unknown run not yet added
        int pendingUnkEnd = -1;
        for (int i = start; i < end; ) {
            int cp = Character.codePointAt(chars, i, end);
            int next = i + Character.charCount(cp);
            int id = vocabulary.id(chars, i, next);
            if (id >= 0) {
                if (pendingUnk >= 0) {
                    s.add(unkId, pendingUnk, pendingUnkEnd);
                    pendingUnk = -1;
                }
                s.add(id, i, next);
            } else if (byteFallback && addBytes(s, cp, i, next)) {
                // added as byte tokens
            } else if (unkId >= 0) {
                if (pendingUnk >= 0 && fuseUnk) {
                    pendingUnkEnd = next;
                } else {
                    if (pendingUnk >= 0) {
                        s.add(unkId, pendingUnk, pendingUnkEnd);
                    }
                    pendingUnk = i;
                    pendingUnkEnd = next;
                }
            }
            i = next;
        }
        if (pendingUnk >= 0) {
            s.add(unkId, pendingUnk, pendingUnkEnd);
        }
        s.mergeAll(merges);
        s.emit(out);
        s.cache.put(chars, start, end, out, firstToken);
    }

    private boolean addBytes(MergeScratch s, int cp, int from, int to) {
        byte[] utf8 = s.utf8;
        int n = Utf8.encode(cp, utf8, 0);
        for (int k = 0; k < n; k++) {
            if (byteIds[utf8[k] & 0xFF] < 0) {
                return false;
            }
        }
        for (int k = 0; k < n; k++) {
            s.add(byteIds[utf8[k] & 0xFF], from, to);
        }
        return true;
    }
}
