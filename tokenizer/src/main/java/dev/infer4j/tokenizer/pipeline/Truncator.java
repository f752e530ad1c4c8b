package dev.infer4j.tokenizer.pipeline;

import dev.infer4j.tokenizer.Truncation;
import dev.infer4j.tokenizer.postprocess.TokenSequence;

/** Hugging Face's {@code truncate_encodings}: fits one sequence or a pair into a token budget. */
final class Truncator {

    private Truncator() {
    }

    /** Truncates to {@code maxLength} tokens in total (the special tokens to come already subtracted). */
    static void truncate(TokenSequence first, TokenSequence second, Truncation params, int maxLength) {
        boolean left = params.direction() == Truncation.Direction.LEFT;
        int stride = params.stride();
        if (maxLength == 0) {
            first.truncate(0, stride, left);
            if (second != null) {
                second.truncate(0, stride, left);
            }
            return;
        }
        int total = first.size() + (second == null ? 0 : second.size());
        if (total <= maxLength) {
            return;
        }
        int toRemove = total - maxLength;
        switch (params.strategy()) {
            case LONGEST_FIRST -> {
                if (second == null) {
                    first.truncate(maxLength, stride, left);
                    return;
                }
                int n1 = first.size();
                int n2 = second.size();
                boolean swap = n1 > n2;
                if (swap) {
                    int t = n1;
                    n1 = n2;
                    n2 = t;
                }
                n2 = n1 > maxLength ? n1 : Math.max(n1, maxLength - n1);
                if (n1 + n2 > maxLength) {
                    n1 = maxLength / 2;
                    n2 = n1 + maxLength % 2;
                }
                if (swap) {
                    int t = n1;
                    n1 = n2;
                    n2 = t;
                }
                first.truncate(n1, stride, left);
                second.truncate(n2, stride, left);
            }
            case ONLY_FIRST, ONLY_SECOND -> {
                TokenSequence target = params.strategy() == Truncation.Strategy.ONLY_FIRST ? first : second;
                if (target == null) {
                    throw new IllegalArgumentException("truncation strategy only_second needs a pair of sequences");
                }
                if (target.size() <= toRemove) {
                    throw new IllegalArgumentException("the sequence to truncate has " + target.size()
                            + " tokens, too few to remove the " + toRemove + " needed to fit " + maxLength);
                }
                target.truncate(target.size() - toRemove, stride, left);
            }
        }
    }
}
