package dev.infer4j.tokenizer.json;

import dev.infer4j.tokenizer.Padding;
import dev.infer4j.tokenizer.SpecialTokens;
import dev.infer4j.tokenizer.model.TokenModel;
import dev.infer4j.tokenizer.model.WordPieceModel;
import dev.infer4j.tokenizer.pipeline.AddedVocabulary;
import java.util.OptionalInt;

/**
 * Which tokens play the well-known roles. tokenizer.json does not say (tokenizer_config.json does), so roles are
 * recognised by the conventional token strings of BERT, RoBERTa/SentencePiece, GPT-2, Llama 3 and ChatML models.
 */
final class SpecialTokenRoles {

    private SpecialTokenRoles() {
    }

    static SpecialTokens find(TokenModel model, AddedVocabulary added, Padding padding) {
        OptionalInt pad = padding != null ? OptionalInt.of(padding.padId()) : first(model, added, "[PAD]", "<pad>",
                "<|pad|>", "<|finetune_right_pad_id|>");
        OptionalInt unk = model instanceof WordPieceModel wp ? OptionalInt.of(wp.unkId())
                : first(model, added, "[UNK]", "<unk>", "<|unk|>");
        return new SpecialTokens(
                first(model, added, "<s>", "<|begin_of_text|>", "<bos>", "<|startoftext|>", "[BOS]"),
                first(model, added, "</s>", "<|end_of_text|>", "<eos>", "<|endoftext|>", "[EOS]"),
                first(model, added, "<|eot_id|>", "<|im_end|>", "<end_of_turn>", "<|end|>"),
                pad, unk,
                first(model, added, "[CLS]", "<cls>"),
                first(model, added, "[SEP]", "<sep>"),
                first(model, added, "[MASK]", "<mask>"));
    }

    private static OptionalInt first(TokenModel model, AddedVocabulary added, String... candidates) {
        for (String c : candidates) {
            int id = added.idOf(c);
            if (id < 0) {
                id = model.vocabulary().id(c);
            }
            if (id >= 0) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }
}
