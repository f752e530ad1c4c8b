package dev.infer4j.tokenizer.pipeline;

import dev.infer4j.tokenizer.model.TokenBuffer;
import dev.infer4j.tokenizer.postprocess.TokenSequence;
import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.PreTokenizedText;

/**
 * Encodes one sequence up to the model (Hugging Face's {@code encode_single_sequence}): added tokens in the input,
 * normalization, added tokens in the normalized text, pre-tokenization, model; offsets mapped back to the input.
 */
final class SequenceEncoder {

    private final Pipeline pipeline;

    SequenceEncoder(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    TokenSequence encode(String input, int typeId) {
        Workspace ws = Workspace.get();
        TokenSequence out = new TokenSequence(Math.max(8, input.length() / 3));
        ws.tokens.clear();
        pipeline.addedVocabulary().splitRaw(input, 0, input.length(), new AddedVocabulary.SegmentSink() {
            @Override
            public void text(int start, int end) {
                encodeText(ws, input, start, end, typeId, out);
            }

            @Override
            public void token(int id, int start, int end) {
                out.add(id, typeId, 0, 1, start, end);
            }
        });
        ws.trim(input.length());
        return out;
    }

    private void encodeText(Workspace ws, String input, int start, int end, int typeId, TokenSequence out) {
        if (start == end) {
            return;
        }
        NormalizedText text = ws.text;
        text.reset(input, start, end);
        if (pipeline.normalizer() != null) {
            pipeline.normalizer().normalize(text);
        }
        if (!pipeline.addedVocabulary().hasNormalizedTokens()) {
            tokenize(ws, text, typeId, out);
            return;
        }
        String normalized = text.toString();
        pipeline.addedVocabulary().splitNormalized(normalized, 0, normalized.length(),
                new AddedVocabulary.SegmentSink() {
                    @Override
                    public void text(int s, int e) {
                        if (s == e) {
                            return;
                        }
                        if (s == 0 && e == text.length()) {
                            tokenize(ws, text, typeId, out);
                        } else {
                            ws.part.resetTo(text, s, e);
                            tokenize(ws, ws.part, typeId, out);
                        }
                    }

                    @Override
                    public void token(int id, int s, int e) {
                        out.add(id, typeId, 0, 1, text.originalStart(s), text.originalEnd(e - 1));
                    }
                });
    }

    private void tokenize(Workspace ws, NormalizedText text, int typeId, TokenSequence out) {
        PreTokenizedText splits = ws.splits;
        splits.reset(text);
        if (pipeline.preTokenizer() != null) {
            pipeline.preTokenizer().preTokenize(splits);
        }
        TokenBuffer tokens = ws.tokens;
        for (int i = 0; i < splits.splitCount(); i++) {
            tokens.clear();
            pipeline.model().tokenize(text, splits.splitStart(i), splits.splitEnd(i), tokens);
            for (int t = 0; t < tokens.size(); t++) {
                int s = tokens.start(t);
                int e = tokens.end(t);
                int originalStart;
                int originalEnd;
                if (e > s) {
                    originalStart = text.originalStart(s);
                    originalEnd = text.originalEnd(e - 1);
                } else {
                    originalStart = s < text.length() ? text.originalStart(s) : text.originalShift();
                    originalEnd = originalStart;
                }
                out.add(tokens.id(t), typeId, 0, 1, originalStart, originalEnd);
            }
        }
    }
}
