package dev.infer4j.benchmarks.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic English-like corpus for tokenizer throughput: sentences of common words drawn with a Zipf-like
 * distribution, capitalisation, punctuation, numbers, the odd hyphenated or rare long word, one paragraph per line.
 */
final class EnglishCorpus {

    private static final String[] WORDS = ("the of and to a in is it you that he was for on are with as I his they be "
            + "at one have this from or had by not word but what some we can out other were all there when up use "
            + "your how said an each she which do their time if will way about many then them write would like so "
            + "these her long make thing see him two has look more day could go come did number sound no most people "
            + "my over know water than call first who may down side been now find any new work part take get place "
            + "made live where after back little only round man year came show every good me give our under name "
            + "very through just form sentence great think say help low line differ turn cause much mean before move "
            + "right boy old too same tell does set three want air well also play small end put home read hand port "
            + "large spell add even land here must big high such follow act why ask men change went light kind off "
            + "need house picture try us again animal point mother world near build self earth father head stand own "
            + "page should country found answer school grow study still learn plant cover food sun four between state "
            + "keep eye never last let thought city tree cross farm hard start might story saw far sea draw left late "
            + "run don't while press close night real life few north open seem together next white children begin "
            + "got walk example ease paper group always music those both mark often letter until mile river car feet "
            + "care second book carry took science eat room friend began idea fish mountain stop once base hear horse "
            + "cut sure watch color face wood main enough plain girl usual young ready above ever red list though feel "
            + "talk bird soon body dog family direct pose leave song measure door product black short numeral class "
            + "wind question happen complete ship area half rock order fire south problem piece told knew pass since "
            + "top whole king space heard best hour better true during hundred five remember step early hold west "
            + "ground interest reach fast verb sing listen six table travel less morning ten simple several vowel "
            + "toward war lay against pattern slow center love person money serve appear road map rain rule govern "
            + "pull cold notice voice unit power town fine certain fly fall lead cry dark machine note wait plan "
            + "figure star box noun field rest correct able pound done beauty drive stood contain front teach week "
            + "final gave green oh quick develop ocean warm free minute strong special mind behind clear tail produce "
            + "fact street inch multiply nothing course stay wheel full force blue object decide surface deep moon "
            + "island foot system busy test record boat common gold possible plane stead dry wonder laugh thousand "
            + "ago ran check game shape equate hot miss brought heat snow tire bring yes distant fill east paint "
            + "language among tokenization transformer embedding inference throughput benchmark representation "
            + "international responsibility characteristically misunderstanding electroencephalography").split(" ");
    private static final String[] PUNCTUATION = {",", ",", ";", ":", " -", "'s", "'ll", "n't"};

    private EnglishCorpus() {
    }

    /** Lines (paragraphs) totalling at least {@code minBytes} UTF-8 bytes. */
    static List<String> lines(long seed, long minBytes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        long bytes = 0;
        StringBuilder sb = new StringBuilder();
        while (bytes < minBytes) {
            sb.setLength(0);
            int sentences = 1 + r.nextInt(6);
            for (int s = 0; s < sentences; s++) {
                int words = 4 + r.nextInt(20);
                for (int w = 0; w < words; w++) {
                    String word = word(r);
                    if (w == 0) {
                        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                    } else {
                        sb.append(' ');
                    }
                    sb.append(word);
                    if (w + 1 < words && r.nextInt(12) == 0) {
                        sb.append(PUNCTUATION[r.nextInt(PUNCTUATION.length)]);
                    }
                }
                sb.append(r.nextInt(10) == 0 ? "?" : r.nextInt(15) == 0 ? "!" : ".");
                if (s + 1 < sentences) {
                    sb.append(' ');
                }
            }
            String line = sb.toString();
            lines.add(line);
            bytes += line.getBytes(StandardCharsets.UTF_8).length;
        }
        return lines;
    }

    private static String word(SplittableRandom r) {
        int k = r.nextInt(100);
        if (k < 3) {
            return Integer.toString(r.nextInt(k == 0 ? 100_000 : 100));
        }
        if (k < 5) {
            return WORDS[r.nextInt(WORDS.length)] + "-" + WORDS[r.nextInt(WORDS.length)];
        }
        // Zipf-like: small indices much more often
        double u = r.nextDouble();
        int index = (int) Math.min(WORDS.length - 1, Math.floor(Math.pow(WORDS.length, u) - 1));
        return WORDS[index];
    }

    static long utf8Bytes(List<String> lines) {
        long n = 0;
        for (String l : lines) {
            n += l.getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }
}
