package dev.infer4j.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.engine.classify.ClassificationResult;
import dev.infer4j.engine.classify.ClassifyOptions;
import dev.infer4j.engine.classify.ScoreActivation;
import dev.infer4j.engine.classify.TextClassifier;
import dev.infer4j.engine.embed.InputTooLongException;
import dev.infer4j.engine.rerank.RerankOptions;
import dev.infer4j.engine.rerank.RerankResult;
import dev.infer4j.engine.rerank.Reranker;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code infer4j classify} and {@code rerank} over fake heads: output, pairs, and errors with their exit codes. */
class ClassifyRerankCommandTest {

    /** Two labels; the score of "positive" is the share of words that are "good", the activation recorded. */
    static final class FakeClassifier implements TextClassifier {
        final List<String> seenPairs = new ArrayList<>();
        ClassifyOptions seenOptions;

        @Override
        public List<String> labels() {
            return List.of("negative", "positive");
        }

        @Override
        public int maxTokens() {
            return 8;
        }

        @Override
        public ClassificationResult classify(List<String> texts, ClassifyOptions options) {
            seenOptions = options;
            float[][] scores = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                String[] words = texts.get(i).split(" ");
                if (words.length + 2 > maxTokens() && !options.truncate()) {
                    throw new InputTooLongException(i, words.length + 2, maxTokens());
                }
                float good = 0;
                for (String w : words) {
                    good += w.equals("good") ? 1 : 0;
                }
                scores[i] = new float[] {1 - good / words.length, good / words.length};
            }
            return new ClassificationResult(labels(), scores, new int[texts.size()], new boolean[texts.size()]);
        }

        @Override
        public ClassificationResult classifyPairs(List<String> firsts, List<String> seconds, ClassifyOptions o) {
            List<String> joined = new ArrayList<>();
            for (int i = 0; i < firsts.size(); i++) {
                seenPairs.add(firsts.get(i) + "|" + seconds.get(i));
                joined.add(firsts.get(i) + " " + seconds.get(i));
            }
            return classify(joined, o);
        }

        @Override
        public void close() {
        }
    }

    /** Scores a document by how many query words it contains. */
    static final class FakeReranker implements Reranker {
        @Override
        public int maxTokens() {
            return 512;
        }

        @Override
        public RerankResult rerank(String query, List<String> documents, RerankOptions options) {
            float[] scores = new float[documents.size()];
            for (int i = 0; i < scores.length; i++) {
                for (String w : query.split(" ")) {
                    scores[i] += documents.get(i).contains(w) ? 1 : 0;
                }
                scores[i] = options.rawScores() ? scores[i] : scores[i] / 10;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < scores.length; i++) {
                order.add(i);
            }
            order.sort((a, b) -> Float.compare(scores[b], scores[a]));
            return new RerankResult(scores, order.stream().mapToInt(Integer::intValue).toArray(),
                    new int[scores.length], new boolean[scores.length]);
        }

        @Override
        public void close() {
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Callable<Integer> command, String... args) {
        CommandLine cmd = Infer4jCommand.withErrorHandling(new CommandLine(command));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return new Run(cmd.execute(args), out.toString(), err.toString());
    }

    private static ByteArrayInputStream stdin(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void classifyPrintsEveryLabelsScoreAndTheBestLabel() throws Exception {
        FakeClassifier fake = new FakeClassifier();
        Run r = run(new ClassifyCommand((m, t) -> fake, stdin("")), "--model", "m", "--text", "good good bad",
                "--text", "bad", "--activation", "sigmoid");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.size());
        assertEquals("positive", json.get(0).get("label").asText());
        assertEquals(2f / 3, json.get(0).get("scores").get("positive").floatValue());
        assertEquals("negative", json.get(1).get("label").asText());
        assertEquals(ScoreActivation.SIGMOID, fake.seenOptions.activation());

        Run csv = run(new ClassifyCommand((m, t) -> new FakeClassifier(), stdin("good\nbad bad\n")), "--model", "m",
                "--format", "csv");
        assertEquals("index,label,negative,positive\n0,positive,0.0,1.0\n1,negative,1.0,0.0\n", csv.out());
    }

    @Test
    void classifyPairsSplitsOnTabs() {
        FakeClassifier fake = new FakeClassifier();
        Run r = run(new ClassifyCommand((m, t) -> fake, stdin("a premise\ta hypothesis\n")), "--model", "m",
                "--pairs");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("a premise|a hypothesis"), fake.seenPairs);

        Run bad = run(new ClassifyCommand((m, t) -> new FakeClassifier(), stdin("x\ty\nno tab here\n")), "--model",
                "m", "--pairs");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("line 2 is not a pair 'first<TAB>second'"), bad.err());
    }

    @Test
    void classifyErrors() {
        Run noModel = run(new ClassifyCommand((m, t) -> new FakeClassifier(), stdin("")), "--text", "x");
        assertEquals(2, noModel.exitCode());
        assertTrue(noModel.err().contains("Missing required option: '--model=PATH'"), noModel.err());

        Run badActivation = run(new ClassifyCommand((m, t) -> new FakeClassifier(), stdin("")), "--model", "m",
                "--text", "x", "--activation", "tanh");
        assertEquals(2, badActivation.exitCode());
        assertTrue(badActivation.err().contains("--activation must be softmax, sigmoid or none, got 'tanh'"),
                badActivation.err());

        Run tooLong = run(new ClassifyCommand((m, t) -> new FakeClassifier(), stdin("")), "--model", "m",
                "--text", "ok", "--text", "a b c d e f g h", "--no-truncate");
        assertEquals(1, tooLong.exitCode());
        assertTrue(tooLong.err().contains("--text number 2 has 10 tokens; the model takes at most 8"),
                tooLong.err());

        Run noHead = run(new ClassifyCommand((m, t) -> {
            throw new IllegalArgumentException(m + " has no classification head (no id2label in config.json)");
        }, stdin("")), "--model", "all-minilm-l6-v2", "--text", "x");
        assertEquals(1, noHead.exitCode());
        assertTrue(noHead.err().contains("infer4j classify: error: all-minilm-l6-v2 has no classification head"),
                noHead.err());
    }

    @Test
    void rerankPrintsDocumentsBestFirst() throws Exception {
        Run r = run(new RerankCommand((m, t) -> new FakeReranker(), stdin("the cat sat\ndogs bark\ncat and dog\n")),
                "--model", "m", "--query", "cat dog", "--raw-scores");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(3, json.size());
        assertEquals(2, json.get(0).get("index").asInt());
        assertEquals(1, json.get(0).get("rank").asInt());
        assertEquals(2.0, json.get(0).get("score").asDouble());
        assertEquals("cat and dog", json.get(0).get("document").asText());
        assertEquals(0, json.get(1).get("index").asInt());

        Run csv = run(new RerankCommand((m, t) -> new FakeReranker(), stdin("")), "--model", "m", "--query", "cat",
                "--doc", "no", "--doc", "a cat", "--format", "csv");
        assertEquals("rank,index,score\n1,1,0.1\n2,0,0.0\n", csv.out());
    }

    @Test
    void rerankErrors() {
        Run noQuery = run(new RerankCommand((m, t) -> new FakeReranker(), stdin("")), "--model", "m", "--doc", "d");
        assertEquals(2, noQuery.exitCode());
        assertTrue(noQuery.err().contains("Missing required option: '--query=TEXT'"), noQuery.err());

        Run emptyDoc = run(new RerankCommand((m, t) -> new FakeReranker(), stdin("")), "--model", "m", "--query",
                "q", "--doc", "");
        assertEquals(2, emptyDoc.exitCode());
        assertTrue(emptyDoc.err().contains("--doc number 1 is empty"), emptyDoc.err());

        Run noDocs = run(new RerankCommand((m, t) -> new FakeReranker(), stdin("")), "--model", "m", "--query", "q");
        assertEquals(1, noDocs.exitCode());
        assertTrue(noDocs.err().contains("no input"), noDocs.err());
    }
}
