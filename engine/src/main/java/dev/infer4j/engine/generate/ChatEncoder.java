package dev.infer4j.engine.generate;

import dev.infer4j.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * Turns a rendered chat into prompt tokens as llama.cpp does: the whole prompt as one string, tokenized with
 * the vocabulary's start token and with control tokens recognised in the text — so the tokenizer's own rules
 * around them (SentencePiece's space before text that follows a control token, Phi-3's stripping of the newline
 * after one) apply. A tokenizer that does not recognise a control token written in text gets the prompt piece
 * by piece instead, each control token placed by id.
 */
final class ChatEncoder {
    private ChatEncoder() {
    }

    static int[] encode(Tokenizer tokenizer, ChatPrompt prompt) {
        boolean parsesControls = true;
        for (ChatPrompt.Part part : prompt.parts()) {
            if (part instanceof ChatPrompt.Control c) {
                int id = controlId(tokenizer, c);
                int[] inText = tokenizer.encode(c.token(), false).ids();
                parsesControls &= inText.length == 1 && inText[0] == id;
            }
        }
        if (parsesControls) {
            return tokenizer.encode(prompt.toString(), true).ids();
        }
        int[] ids = tokenizer.encode("", true).ids();
        for (ChatPrompt.Part part : prompt.parts()) {
            int[] add = switch (part) {
                case ChatPrompt.Text t -> tokenizer.encode(t.text(), false).ids();
                case ChatPrompt.Control c -> new int[] {controlId(tokenizer, c)};
            };
            int at = ids.length;
            ids = Arrays.copyOf(ids, at + add.length);
            System.arraycopy(add, 0, ids, at, add.length);
        }
        return ids;
    }

    private static int controlId(Tokenizer tokenizer, ChatPrompt.Control c) {
        int id = tokenizer.tokenToId(c.token());
        if (id < 0) {
            throw new UnsupportedChatTemplateException("the vocabulary has no token " + c.token()
                    + ", which the chat template needs");
        }
        return id;
    }
}
