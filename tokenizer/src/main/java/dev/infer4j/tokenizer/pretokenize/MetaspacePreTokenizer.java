package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.PreTokenizedText;

/**
 * SentencePiece's metaspace: spaces become {@code ▁} (aligned to the space), a {@code ▁} is prepended (always, only to
 * the split at the very start of the input, or never), and optionally each {@code ▁} starts a new split.
 */
public final class MetaspacePreTokenizer implements PreTokenizer {

    /** When the replacement char is prepended. */
    public enum PrependScheme { ALWAYS, FIRST, NEVER }

    private final int replacement;
    private final PrependScheme prependScheme;
    private final boolean split;

    public MetaspacePreTokenizer(int replacement, PrependScheme prependScheme, boolean split) {
        this.replacement = replacement;
        this.prependScheme = prependScheme;
        this.split = split;
    }

    @Override
    public void preTokenize(PreTokenizedText text) {
        NormalizedText t = text.text();
        text.rewrite((w, index, start, end) -> {
            boolean startsWithReplacement = t.codePointAt(start) == replacement || t.charAt(start) == ' ';
            boolean prepend = switch (prependScheme) {
                case ALWAYS -> !startsWithReplacement;
                case FIRST -> !startsWithReplacement && t.originalStart(start) == 0;
                case NEVER -> false;
            };
            boolean first = true;
            while (w.position() < end) {
                int cp = w.peek();
                int mapped = cp == ' ' ? replacement : cp;
                if (first && prepend) {
                    w.replace(replacement);
                    w.insert(mapped);
                } else if (cp == ' ') {
                    w.replace(replacement);
                } else {
                    w.keep();
                }
                first = false;
            }
        });
        if (split) {
            text.split((NormalizedText nt, int start, int end, PreTokenizedText.SplitSink out) -> {
                char[] chars = nt.chars();
                int piece = start;
                for (int i = start; i < end; ) {
                    int cp = Character.codePointAt(chars, i, end);
                    if (cp == replacement && i > piece) {
                        out.add(piece, i);
                        piece = i;
                    }
                    i += Character.charCount(cp);
                }
                out.add(piece, end);
            });
        }
    }
}
