package dev.infer4j.server.api;

import dev.infer4j.tokenizer.Tokenizer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The text of single tokens, as OpenAI's logprobs show them ({@code " Once"} with its leading space). A token is
 * decoded after a fixed primer token, so that rules about the start of a text (SentencePiece drops the first
 * space) do not apply; results are cached per id.
 */
final class TokenTexts {
    private final Tokenizer tokenizer;
    private final int[] primer;
    private final String primerText;
    private final AtomicReferenceArray<String> cache;

    TokenTexts(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        int[] dot = tokenizer.encode(".", false).ids();
        this.primer = dot.length == 0 ? new int[0] : new int[] {dot[dot.length - 1]};
        this.primerText = tokenizer.decode(primer, false);
        this.cache = new AtomicReferenceArray<>(tokenizer.vocabSize());
    }

    String text(int id) {
        if (id < 0 || id >= cache.length()) {
            return "";
        }
        String text = cache.get(id);
        if (text == null) {
            int[] ids = new int[primer.length + 1];
            System.arraycopy(primer, 0, ids, 0, primer.length);
            ids[primer.length] = id;
            String both = tokenizer.decode(ids, false);
            text = both.startsWith(primerText) ? both.substring(primerText.length()) : tokenizer.decode(new int[] {id}, false);
            cache.set(id, text);
        }
        return text;
    }
}
