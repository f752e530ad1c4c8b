package dev.infer4j.tokenizer.model;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.Utf8;
import java.util.Arrays;

/**
 * SentencePiece BPE driven by piece scores, as GGUF {@code llama} vocabularies describe it (no merge list): start from
 * code points, repeatedly merge the adjacent pair whose concatenation is a vocabulary piece with the highest score
 * (ties to the leftmost), and spell out code points that are no piece as byte tokens ({@code <0xE2>}) or the unknown
 * token. This is the procedure SentencePiece and llama.cpp use, and it yields Hugging Face's ids for these
 * vocabularies.
 */
public final class SentencePieceBpeModel implements TokenModel {

    private final Vocabulary vocabulary;
    private final float[] scores;
    private final boolean[] mergeable;
    private final int unkId;
    private final int[] byteIds;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /**
     * @param scores    score of each id (higher merges first)
     * @param mergeable whether an id may be the result of a merge (normal pieces; not control, byte or unused ones)
     * @param unkId     the unknown token, or -1 to drop unknown code points without byte tokens
     */
    public SentencePieceBpeModel(Vocabulary vocabulary, float[] scores, boolean[] mergeable, int unkId) {
        this.vocabulary = vocabulary;
        this.scores = scores.clone();
        this.mergeable = mergeable.clone();
        this.unkId = unkId;
        this.byteIds = BpeModel.byteTokenIds(vocabulary);
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public void tokenize(NormalizedText text, int start, int end, TokenBuffer out) {
        char[] chars = text.chars();
        Scratch s = scratch.get();
        s.reset(end - start);
        for (int i = start; i < end; ) {
            int n = Character.charCount(Character.codePointAt(chars, i, end));
            s.add(i, i + n);
            i += n;
        }
        for (int i = 0; i + 1 < s.count; i++) {
            tryAdd(s, chars, i, i + 1);
        }
        while (s.heapSize > 0) {
            int top = s.pop();
            int left = s.qLeft[top];
            int right = s.qRight[top];
            if (s.dead[left] || s.dead[right] || s.next[left] != right
                    || s.ends[right] - s.starts[left] != s.qSize[top]) {
                continue; // stale: one side changed since the candidate was queued
            }
            s.ends[left] = s.ends[right];
            s.dead[right] = true;
            s.next[left] = s.next[right];
            if (s.next[right] >= 0) {
                s.prev[s.next[right]] = left;
            }
            if (s.prev[left] >= 0) {
                tryAdd(s, chars, s.prev[left], left);
            }
            if (s.next[left] >= 0) {
                tryAdd(s, chars, left, s.next[left]);
            }
        }
        for (int i = s.count > 0 ? 0 : -1; i >= 0; i = s.next[i]) {
            emit(chars, s.starts[i], s.ends[i], out, s);
        }
    }

    private void tryAdd(Scratch s, char[] chars, int left, int right) {
        int id = vocabulary.id(chars, s.starts[left], s.ends[right]);
        if (id < 0 || !mergeable[id]) {
            return;
        }
        s.push(scores[id], left, right, s.ends[right] - s.starts[left]);
    }

    private void emit(char[] chars, int from, int to, TokenBuffer out, Scratch s) {
        int id = vocabulary.id(chars, from, to);
        if (id >= 0) {
            out.add(id, from, to);
            return;
        }
        // a single code point missing from the vocabulary: its UTF-8 bytes, or the unknown token
        int cp = Character.codePointAt(chars, from, to);
        int n = Utf8.encode(cp, s.bytes, 0);
        boolean allBytes = true;
        for (int k = 0; k < n; k++) {
            allBytes &= byteIds[s.bytes[k] & 0xFF] >= 0;
        }
        if (allBytes) {
            for (int k = 0; k < n; k++) {
                out.add(byteIds[s.bytes[k] & 0xFF], from, to);
            }
        } else if (unkId >= 0) {
            out.add(unkId, from, to);
        }
    }

    /** Symbols as a linked list over arrays, and a max-heap of candidate merges (score, then leftmost). */
    private static final class Scratch {
        int[] starts = new int[64];
        int[] ends = new int[64];
        int[] prev = new int[64];
        int[] next = new int[64];
        boolean[] dead = new boolean[64];
        int count;
        float[] qScore = new float[64];
        int[] qLeft = new int[64];
        int[] qRight = new int[64];
        int[] qSize = new int[64];
        int[] heap = new int[64]; // indices into the q arrays
        int heapSize;
        int queued;
        final byte[] bytes = new byte[4];

        void reset(int capacity) {
            if (starts.length < capacity) {
                int c = Math.max(capacity, starts.length * 2);
                starts = new int[c];
                ends = new int[c];
                prev = new int[c];
                next = new int[c];
                dead = new boolean[c];
            }
            count = 0;
            heapSize = 0;
            queued = 0;
        }

        void add(int start, int end) {
            starts[count] = start;
            ends[count] = end;
            prev[count] = count - 1;
            next[count] = -1;
            dead[count] = false;
            if (count > 0) {
                next[count - 1] = count;
            }
            count++;
        }

        void push(float score, int left, int right, int size) {
            if (queued == qScore.length) {
                int c = queued * 2;
                qScore = Arrays.copyOf(qScore, c);
                qLeft = Arrays.copyOf(qLeft, c);
                qRight = Arrays.copyOf(qRight, c);
                qSize = Arrays.copyOf(qSize, c);
                heap = Arrays.copyOf(heap, c);
            }
            int q = queued++;
            qScore[q] = score;
            qLeft[q] = left;
            qRight[q] = right;
            qSize[q] = size;
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(q, heap[parent])) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = q;
        }

        int pop() {
            int top = heap[0];
            int last = heap[--heapSize];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= heapSize) {
                    break;
                }
                if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
                    child++;
                }
                if (!before(heap[child], last)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }

        /** Higher score first; equal scores: leftmost first. */
        private boolean before(int a, int b) {
            return qScore[a] > qScore[b] || (qScore[a] == qScore[b] && qLeft[a] < qLeft[b]);
        }
    }
}
