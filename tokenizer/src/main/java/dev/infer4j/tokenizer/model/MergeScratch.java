package dev.infer4j.tokenizer.model;

import java.util.Arrays;

/**
 * Per-thread working memory of a BPE merge: the symbols of one word as a doubly linked list over arrays, and a binary
 * min-heap of candidate merges keyed by {@code rank << 32 | position}, so that the lowest rank, then the leftmost
 * position, merges first. Reused across words; no allocation once grown.
 */
final class MergeScratch {

    int[] ids = new int[64];
    int[] starts = new int[64];
    int[] ends = new int[64];
    int[] prev = new int[64];
    int[] next = new int[64];
    boolean[] dead = new boolean[64];
    int count;
    final byte[] utf8 = new byte[4];
    /** Words already merged on this thread. */
    final WordCache cache = new WordCache();
    private long[] heap = new long[64];
    private int heapSize;

    void reset(int capacity) {
        if (ids.length < capacity) {
            int c = Math.max(capacity, ids.length * 2);
            ids = new int[c];
            starts = new int[c];
            ends = new int[c];
            prev = new int[c];
            next = new int[c];
            dead = new boolean[c];
        }
        count = 0;
        heapSize = 0;
    }

    void add(int id, int start, int end) {
        if (count == ids.length) {
            int c = count * 2;
            ids = Arrays.copyOf(ids, c);
            starts = Arrays.copyOf(starts, c);
            ends = Arrays.copyOf(ends, c);
            prev = Arrays.copyOf(prev, c);
            next = Arrays.copyOf(next, c);
            dead = Arrays.copyOf(dead, c);
        }
        ids[count] = id;
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

    /** Applies merge rules until none matches. */
    void mergeAll(MergeTable merges) {
        for (int i = 0; i + 1 < count; i++) {
            int rank = merges.rank(ids[i], ids[i + 1]);
            if (rank >= 0) {
                push(((long) rank << 32) | i);
            }
        }
        while (heapSize > 0) {
            long top = pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (dead[pos] || next[pos] < 0) {
                continue;
            }
            int right = next[pos];
            if (merges.rank(ids[pos], ids[right]) != rank) {
                continue; // the pair changed since this candidate was queued
            }
            ids[pos] = merges.merged(ids[pos], ids[right]);
            ends[pos] = ends[right];
            dead[right] = true;
            next[pos] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
            if (prev[pos] >= 0) {
                int r = merges.rank(ids[prev[pos]], ids[pos]);
                if (r >= 0) {
                    push(((long) r << 32) | prev[pos]);
                }
            }
            if (next[pos] >= 0) {
                int r = merges.rank(ids[pos], ids[next[pos]]);
                if (r >= 0) {
                    push(((long) r << 32) | pos);
                }
            }
        }
    }

    void emit(TokenBuffer out) {
        for (int i = count > 0 ? 0 : -1; i >= 0; i = next[i]) {
            out.add(ids[i], starts[i], ends[i]);
        }
    }

    private void push(long v) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
    }

    private long pop() {
        long top = heap[0];
        long last = heap[--heapSize];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= last) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        return top;
    }
}
