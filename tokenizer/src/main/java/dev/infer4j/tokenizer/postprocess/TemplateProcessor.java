package dev.infer4j.tokenizer.postprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's {@code TemplateProcessing}: the single and pair templates list sequences ({@code $A}, {@code $B})
 * and special tokens, each with a type id. Also serves {@code BertProcessing} (a fixed template).
 */
public final class TemplateProcessor implements PostProcessor {

    /** One element of a template. */
    public sealed interface Piece permits SequencePiece, SpecialPiece {
        int typeId();
    }

    /** The first ({@code second == false}) or second sequence of the input. */
    public record SequencePiece(boolean second, int typeId) implements Piece {
    }

    /** A special token (which may stand for several ids). */
    public record SpecialPiece(String name, int[] ids, int typeId) implements Piece {
        public SpecialPiece {
            ids = ids.clone();
        }
    }

    private final List<Piece> single;
    private final List<Piece> pair;
    private final int addedSingle;
    private final int addedPair;

    public TemplateProcessor(List<Piece> single, List<Piece> pair) {
        this.single = List.copyOf(single);
        this.pair = List.copyOf(pair);
        this.addedSingle = countSpecial(single);
        this.addedPair = countSpecial(pair);
    }

    /** BERT's template: {@code [CLS] $A [SEP]} and {@code [CLS] $A [SEP] $B:1 [SEP]:1}. */
    public static TemplateProcessor bert(String clsToken, int clsId, String sepToken, int sepId) {
        SpecialPiece cls = new SpecialPiece(clsToken, new int[] {clsId}, 0);
        SpecialPiece sep0 = new SpecialPiece(sepToken, new int[] {sepId}, 0);
        SpecialPiece sep1 = new SpecialPiece(sepToken, new int[] {sepId}, 1);
        return new TemplateProcessor(
                List.of(cls, new SequencePiece(false, 0), sep0),
                List.of(cls, new SequencePiece(false, 0), sep0, new SequencePiece(true, 1), sep1));
    }

    private static int countSpecial(List<Piece> template) {
        int n = 0;
        for (Piece p : template) {
            if (p instanceof SpecialPiece s) {
                n += s.ids().length;
            }
        }
        return n;
    }

    @Override
    public int addedTokens(boolean isPair) {
        return isPair ? addedPair : addedSingle;
    }

    /**
     * Applies the template straight into one sequence when nothing overflowed (the usual case), sparing the copies the
     * general path makes; otherwise as Hugging Face does.
     */
    @Override
    public TokenSequence process(TokenSequence first, TokenSequence second, boolean addSpecialTokens) {
        if (!first.overflowing().isEmpty() || (second != null && !second.overflowing().isEmpty())) {
            return PostProcessor.super.process(first, second, addSpecialTokens);
        }
        List<Piece> template = second != null ? pair : single;
        int size = 0;
        for (Piece piece : template) {
            size += switch (piece) {
                case SequencePiece s -> (s.second() ? second : first).size();
                case SpecialPiece s -> addSpecialTokens ? s.ids().length : 0;
            };
        }
        TokenSequence out = new TokenSequence(size);
        for (Piece piece : template) {
            switch (piece) {
                case SequencePiece s -> out.appendWithTypeId(s.second() ? second : first, s.typeId());
                case SpecialPiece s -> {
                    if (addSpecialTokens) {
                        for (int id : s.ids()) {
                            out.add(id, s.typeId(), 1, 1, 0, 0);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public List<TokenSequence> processEncodings(List<TokenSequence> encodings, boolean addSpecialTokens) {
        List<Piece> template = encodings.size() == 2 ? pair : single;
        List<TokenSequence> parts = new ArrayList<>(template.size());
        for (Piece piece : template) {
            switch (piece) {
                case SequencePiece s -> {
                    TokenSequence seq = encodings.get(s.second() ? 1 : 0);
                    seq.setTypeIds(s.typeId());
                    parts.add(seq.copy());
                }
                case SpecialPiece s -> {
                    if (addSpecialTokens) {
                        parts.add(TokenSequence.ofSpecial(s.ids(), s.typeId()));
                    }
                }
            }
        }
        return parts;
    }
}
