package dev.infer4j.tokenizer.decode;

import java.util.List;

/** Applies decoders in turn, each to the tokens the previous one produced. */
public record SequenceDecoder(List<Decoder> decoders) implements Decoder {

    public SequenceDecoder {
        decoders = List.copyOf(decoders);
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> current = tokens;
        for (Decoder d : decoders) {
            current = d.decodeChain(current);
        }
        return current;
    }
}
