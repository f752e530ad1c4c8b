package dev.infer4j.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infer4j.tokenizer.testing.HfReference;
import dev.infer4j.tokenizer.testing.Mismatches;
import dev.infer4j.tokenizer.testing.MultilingualCorpus;
import dev.infer4j.tokenizer.testing.Resources;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Added tokens with every option (single_word, lstrip, rstrip, normalized, special) against Hugging Face, on corpus
 * lines with the tokens (and near misses) inserted at random places.
 */
class AddedTokensParityTest {

    @Test
    void addedTokenOptionsMatch() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(Resources.bytes(Resources.MINILM));
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        String[][] tokens = {
            // content, single_word, lstrip, rstrip, normalized, special
            {"<ent>", "false", "true", "false", "false", "true"},
            {"</ent>", "false", "false", "true", "false", "true"},
            {"Foo Bar", "true", "false", "false", "true", "false"},
            {"qux", "true", "true", "true", "false", "false"},
            {"ÉTÉ", "false", "false", "false", "true", "false"},
            {"[CLS] ", "false", "false", "false", "false", "true"},
        };
        int id = 30522;
        for (String[] t : tokens) {
            ObjectNode n = added.addObject();
            n.put("id", id++);
            n.put("content", t[0]);
            n.put("single_word", Boolean.parseBoolean(t[1]));
            n.put("lstrip", Boolean.parseBoolean(t[2]));
            n.put("rstrip", Boolean.parseBoolean(t[3]));
            n.put("normalized", Boolean.parseBoolean(t[4]));
            n.put("special", Boolean.parseBoolean(t[5]));
        }
        byte[] json = mapper.writeValueAsBytes(root);
        Tokenizer ours = Tokenizers.fromJson(new ByteArrayInputStream(json));
        String[] inserts = {"<ent>", " <ent>", "</ent> ", "  </ent>  ", "Foo Bar", "foo bar", "xFoo Bar", "Foo Barx",
            " qux ", "quxx", "aqux", "\tqux\t", "été", "ÉTÉ", "Été", "[CLS] ", "[CLS]", "<ent></ent>", "<en"};
        SplittableRandom r = new SplittableRandom(3);
        List<String> lines = new ArrayList<>();
        for (String base : MultilingualCorpus.lines(17L, 1500)) {
            StringBuilder sb = new StringBuilder(base);
            int n = 1 + r.nextInt(4);
            for (int k = 0; k < n; k++) {
                int at = r.nextInt(sb.length() + 1);
                if (at > 0 && at < sb.length() && Character.isLowSurrogate(sb.charAt(at))) {
                    at--;
                }
                sb.insert(at, inserts[r.nextInt(inserts.length)]);
            }
            lines.add(sb.toString());
        }
        Mismatches m = new Mismatches("added tokens with options");
        try (HfReference hf = new HfReference(json, Map.of("truncation", "false", "padding", "false"))) {
            for (String line : lines) {
                var expected = hf.encode(line, true, false);
                Encoding actual = ours.encode(line, true);
                int[] ids = HfReference.ints(expected.getIds());
                m.check(line, "ids", ids, actual.ids());
                int[][] offsets = HfReference.utf16Offsets(expected, line);
                m.check(line, "starts", offsets[0], actual.startOffsets());
                m.check(line, "ends", offsets[1], actual.endOffsets());
                m.check(line, "special mask", HfReference.ints(expected.getSpecialTokenMask()),
                        actual.specialTokensMask());
                m.check(line, "decode", hf.decode(ids, true), ours.decode(ids, true));
                m.check(line, "decode with specials", hf.decode(ids, false), ours.decode(ids, false));
            }
        }
        m.assertNone();
    }
}
