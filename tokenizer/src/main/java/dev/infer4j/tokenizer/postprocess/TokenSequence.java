package dev.infer4j.tokenizer.postprocess;

import dev.infer4j.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A mutable encoding under construction (Hugging Face's {@code Encoding} before it is handed out): parallel arrays of
 * ids, type ids, special-token flags, attention and original offsets, plus the overflowing pieces truncation cut off.
 */
public final class TokenSequence {

    private int[] ids;
    private int[] typeIds;
    private int[] special;
    private int[] attention;
    private int[] starts;
    private int[] ends;
    private int size;
    private List<TokenSequence> overflowing = List.of();

    public TokenSequence(int capacity) {
        int c = Math.max(4, capacity);
        ids = new int[c];
        typeIds = new int[c];
        special = new int[c];
        attention = new int[c];
        starts = new int[c];
        ends = new int[c];
    }

    /** Special tokens (mask 1, offsets (0, 0)) with one type id. */
    public static TokenSequence ofSpecial(int[] tokenIds, int typeId) {
        TokenSequence s = new TokenSequence(tokenIds.length);
        for (int id : tokenIds) {
            s.add(id, typeId, 1, 1, 0, 0);
        }
        return s;
    }

    public void add(int id, int typeId, int specialMask, int attentionMask, int start, int end) {
        if (size == ids.length) {
            grow(size + 1);
        }
        ids[size] = id;
        typeIds[size] = typeId;
        special[size] = specialMask;
        attention[size] = attentionMask;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    public int size() {
        return size;
    }

    public int id(int i) {
        return ids[i];
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    public void setOffsets(int i, int start, int end) {
        starts[i] = start;
        ends[i] = end;
    }

    public List<TokenSequence> overflowing() {
        return overflowing;
    }

    public void setOverflowing(List<TokenSequence> pieces) {
        this.overflowing = pieces;
    }

    /** Sets every type id (not those of the overflowing pieces, as Hugging Face). */
    public void setTypeIds(int typeId) {
        Arrays.fill(typeIds, 0, size, typeId);
    }

    /** A copy of {@code [from, to)} without overflowing pieces. */
    public TokenSequence slice(int from, int to) {
        TokenSequence s = new TokenSequence(to - from);
        System.arraycopy(ids, from, s.ids, 0, to - from);
        System.arraycopy(typeIds, from, s.typeIds, 0, to - from);
        System.arraycopy(special, from, s.special, 0, to - from);
        System.arraycopy(attention, from, s.attention, 0, to - from);
        System.arraycopy(starts, from, s.starts, 0, to - from);
        System.arraycopy(ends, from, s.ends, 0, to - from);
        s.size = to - from;
        return s;
    }

    /** A deep copy, overflowing pieces included. */
    public TokenSequence copy() {
        TokenSequence s = slice(0, size);
        if (!overflowing.isEmpty()) {
            List<TokenSequence> o = new ArrayList<>(overflowing.size());
            for (TokenSequence piece : overflowing) {
                o.add(piece.copy());
            }
            s.overflowing = o;
        }
        return s;
    }

    /**
     * Appends {@code other}, combining overflowing pieces as Hugging Face's {@code Encoding::merge_with}: each of ours
     * with the other and with each of its pieces, then ourselves with each of its pieces.
     */
    public void append(TokenSequence other) {
        List<TokenSequence> combined = List.of();
        if (!overflowing.isEmpty() || !other.overflowing.isEmpty()) {
            combined = new ArrayList<>();
            for (TokenSequence mine : overflowing) {
                TokenSequence withOther = mine.copy();
                withOther.append(other.copy());
                combined.add(withOther);
                for (TokenSequence theirs : other.overflowing) {
                    TokenSequence both = mine.copy();
                    both.append(theirs.copy());
                    combined.add(both);
                }
            }
            for (TokenSequence theirs : other.overflowing) {
                TokenSequence withTheirs = copyWithoutOverflowing();
                withTheirs.append(theirs.copy());
                combined.add(withTheirs);
            }
        }
        int n = other.size;
        if (size + n > ids.length) {
            grow(size + n);
        }
        System.arraycopy(other.ids, 0, ids, size, n);
        System.arraycopy(other.typeIds, 0, typeIds, size, n);
        System.arraycopy(other.special, 0, special, size, n);
        System.arraycopy(other.attention, 0, attention, size, n);
        System.arraycopy(other.starts, 0, starts, size, n);
        System.arraycopy(other.ends, 0, ends, size, n);
        size += n;
        overflowing = combined;
    }

    /** Appends the tokens of {@code other} (not its overflowing pieces) with one type id. */
    public void appendWithTypeId(TokenSequence other, int typeId) {
        int n = other.size;
        if (size + n > ids.length) {
            grow(size + n);
        }
        System.arraycopy(other.ids, 0, ids, size, n);
        Arrays.fill(typeIds, size, size + n, typeId);
        System.arraycopy(other.special, 0, special, size, n);
        System.arraycopy(other.attention, 0, attention, size, n);
        System.arraycopy(other.starts, 0, starts, size, n);
        System.arraycopy(other.ends, 0, ends, size, n);
        size += n;
    }

    private TokenSequence copyWithoutOverflowing() {
        return slice(0, size);
    }

    /**
     * Keeps at most {@code maxLength} tokens; what is cut off becomes overflowing pieces of {@code maxLength} tokens
     * that overlap by {@code stride}, as Hugging Face's {@code Encoding::truncate}. Replaces any previous pieces.
     */
    public void truncate(int maxLength, int stride, boolean left) {
        if (maxLength >= size) {
            return;
        }
        if (maxLength == 0) {
            TokenSequence all = copyWithoutOverflowing();
            size = 0;
            overflowing = List.of(all);
            return;
        }
        if (stride >= maxLength) {
            throw new IllegalArgumentException("truncation stride " + stride + " must be less than the length "
                    + maxLength + " left after special tokens");
        }
        int step = maxLength - stride;
        List<int[]> parts = new ArrayList<>();
        if (!left) {
            for (int start = 0; start < size; start += step) {
                int stop = Math.min(start + maxLength, size);
                parts.add(new int[] {start, stop});
                if (stop == size) {
                    break;
                }
            }
        } else {
            for (int last = size - 1; last >= 0; last -= step) {
                int stop = last + 1;
                int start = Math.max(0, stop - maxLength);
                parts.add(new int[] {start, stop});
                if (start == 0) {
                    break;
                }
            }
        }
        List<TokenSequence> pieces = new ArrayList<>(parts.size() - 1);
        for (int i = 1; i < parts.size(); i++) {
            pieces.add(slice(parts.get(i)[0], parts.get(i)[1]));
        }
        TokenSequence kept = slice(parts.get(0)[0], parts.get(0)[1]);
        ids = kept.ids;
        typeIds = kept.typeIds;
        special = kept.special;
        attention = kept.attention;
        starts = kept.starts;
        ends = kept.ends;
        size = kept.size;
        overflowing = pieces;
    }

    /**
     * Pads to {@code length} (nothing when already as long), and each overflowing piece likewise, as Hugging Face's
     * {@code Encoding::pad}.
     */
    public void pad(int length, int padId, int padTypeId, boolean left) {
        for (TokenSequence piece : overflowing) {
            piece.pad(length, padId, padTypeId, left);
        }
        if (size >= length) {
            return;
        }
        int n = length - size;
        grow(length);
        if (left) {
            shiftRight(n);
            for (int i = 0; i < n; i++) {
                setPad(i, padId, padTypeId);
            }
        } else {
            for (int i = size; i < length; i++) {
                setPad(i, padId, padTypeId);
            }
        }
        size = length;
    }

    private void setPad(int i, int padId, int padTypeId) {
        ids[i] = padId;
        typeIds[i] = padTypeId;
        special[i] = 1;
        attention[i] = 0;
        starts[i] = 0;
        ends[i] = 0;
    }

    private void shiftRight(int n) {
        System.arraycopy(ids, 0, ids, n, size);
        System.arraycopy(typeIds, 0, typeIds, n, size);
        System.arraycopy(special, 0, special, n, size);
        System.arraycopy(attention, 0, attention, n, size);
        System.arraycopy(starts, 0, starts, n, size);
        System.arraycopy(ends, 0, ends, n, size);
    }

    private void grow(int min) {
        if (min <= ids.length) {
            return;
        }
        int c = Math.max(min, ids.length * 2);
        ids = Arrays.copyOf(ids, c);
        typeIds = Arrays.copyOf(typeIds, c);
        special = Arrays.copyOf(special, c);
        attention = Arrays.copyOf(attention, c);
        starts = Arrays.copyOf(starts, c);
        ends = Arrays.copyOf(ends, c);
    }

    /**
     * The public, immutable encoding. Exactly sized arrays are handed over rather than copied, so this sequence must
     * not be used afterwards.
     */
    public Encoding toEncoding() {
        List<Encoding> over = List.of();
        if (!overflowing.isEmpty()) {
            over = new ArrayList<>(overflowing.size());
            for (TokenSequence piece : overflowing) {
                over.add(piece.toEncoding());
            }
        }
        if (ids.length == size) {
            return new Encoding(ids, typeIds, attention, special, starts, ends, over);
        }
        return new Encoding(Arrays.copyOf(ids, size), Arrays.copyOf(typeIds, size), Arrays.copyOf(attention, size),
                Arrays.copyOf(special, size), Arrays.copyOf(starts, size), Arrays.copyOf(ends, size), over);
    }
}
