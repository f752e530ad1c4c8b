package dev.infer4j.engine.generate;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.llama.ForwardBatch;
import dev.infer4j.models.llama.KvCache;
import dev.infer4j.models.llama.LlamaConfig;
import dev.infer4j.models.llama.LlamaModel;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.tokenizer.SpecialTokens;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Tokenizers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A loaded decoder model (GGUF, Llama family) ready to generate text: the memory-mapped file, the backend,
 * the tokenizer from the file's vocabulary and one KV cache with a slot per possible {@link Session}.
 * Sessions may be used from different threads; their forward passes take turns on the one model.
 */
public final class Generator implements AutoCloseable {
    private final Path path;
    private final GgufFile file;
    private final Backend backend;
    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final KvCache cache;
    private final int[] endTokens;
    private final boolean[] slotInUse;
    private final ReentrantLock forwardLock = new ReentrantLock();
    private final long loadNanos;

    private Generator(Path path, GgufFile file, Backend backend, LlamaModel model, Tokenizer tokenizer, KvCache cache,
                      long loadNanos) {
        this.path = path;
        this.file = file;
        this.backend = backend;
        this.model = model;
        this.tokenizer = tokenizer;
        this.cache = cache;
        this.loadNanos = loadNanos;
        this.slotInUse = new boolean[cache.slots()];
        SpecialTokens special = tokenizer.specialTokens();
        int[] ends = new int[2];
        int n = 0;
        if (special.eos().isPresent()) {
            ends[n++] = special.eos().getAsInt();
        }
        if (special.eot().isPresent() && (n == 0 || special.eot().getAsInt() != ends[0])) {
            ends[n++] = special.eot().getAsInt();
        }
        this.endTokens = Arrays.copyOf(ends, n);
    }

    /** Loads a GGUF model with the default options. */
    public static Generator load(Path path) {
        return load(path, GeneratorOptions.defaults());
    }

    /**
     * Maps the file, checks architecture, shapes and vocabulary, and prepares the weights for the backend.
     * Throws {@link ModelFormatException} naming what is wrong with the file.
     */
    public static Generator load(Path path, GeneratorOptions options) {
        long start = System.nanoTime();
        GgufFile file = GgufFile.open(path);
        Backend backend = null;
        try {
            Tokenizer tokenizer = Tokenizers.fromGguf(file.metadata());
            backend = Backends.create(options.backend(), options.threads());
            LlamaModel model = LlamaModel.load(file, backend, options.batchSize(), Math.min(options.batchSize(), 64));
            LlamaConfig c = model.config();
            if (tokenizer.vocabSize() > c.vocabSize()) {
                throw new ModelFormatException(path, null, "the vocabulary has " + tokenizer.vocabSize()
                        + " tokens but the token embedding only " + c.vocabSize() + " rows");
            }
            int context = options.contextLength() > 0 ? options.contextLength()
                    : Math.min(c.contextLength(), GeneratorOptions.DEFAULT_MAX_CONTEXT);
            KvCache cache = model.newKvCache(options.sessions(), context);
            file.releaseResidentPages(); // the backend holds what it repacked; the rest is read back on use
            return new Generator(path, file, backend, model, tokenizer, cache, System.nanoTime() - start);
        } catch (RuntimeException | Error e) {
            if (backend != null) {
                backend.close();
            }
            file.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public LlamaConfig config() {
        return model.config();
    }

    /** GGUF metadata of the model file. */
    public java.util.Map<String, Object> metadata() {
        return file.metadata();
    }

    /** Positions each session holds (prompt plus generated tokens). */
    public int contextLength() {
        return cache.capacity();
    }

    /** Time {@link #load} took, in nanoseconds. */
    public long loadNanos() {
        return loadNanos;
    }

    /** Token ids that end a generation: the vocabulary's end-of-sequence and end-of-turn tokens. */
    int[] endTokens() {
        return endTokens;
    }

    /** A new session with an empty context; fails when every slot is taken (see {@link GeneratorOptions#sessions()}). */
    public Session newSession() {
        synchronized (slotInUse) {
            for (int s = 0; s < slotInUse.length; s++) {
                if (!slotInUse[s]) {
                    slotInUse[s] = true;
                    return new Session(this, s);
                }
            }
        }
        throw new IllegalStateException("all " + slotInUse.length + " sessions are in use; close one or load with more sessions");
    }

    void release(int slot) {
        synchronized (slotInUse) {
            slotInUse[slot] = false;
        }
    }

    /** Generates once from a plain prompt (BOS added as the vocabulary asks) in a temporary session. */
    public GenerationResult generate(String prompt, GenerationOptions options, GenerationListener listener) {
        try (Session s = newSession()) {
            return s.generate(prompt, options, listener);
        }
    }

    /** The chat template named by the model's {@code tokenizer.chat_template}; fails when it is not a supported one. */
    public ChatTemplate chatTemplate() {
        Object jinja = file.metadata().get("tokenizer.chat_template");
        return ChatTemplate.detect(jinja instanceof String s ? s : null);
    }

    /** A conversation with the model's own chat template. */
    public ChatSession newChat() {
        return newChat(chatTemplate());
    }

    public ChatSession newChat(ChatTemplate template) {
        return new ChatSession(this, newSession(), template);
    }

    /** Prompt tokens of a rendered chat (see {@link ChatEncoder}). */
    int[] encode(ChatPrompt prompt) {
        return ChatEncoder.encode(tokenizer, prompt);
    }

    ForwardBatch newBatch() {
        return model.newBatch();
    }

    int vocabSize() {
        return model.config().vocabSize();
    }

    /** Runs a batch and copies logit row {@code logitRow} into {@code logits}; forward passes take turns. */
    void forward(ForwardBatch batch, int logitRow, float[] logits) {
        forwardLock.lock();
        try {
            model.forward(batch, cache);
            if (logitRow >= 0) {
                model.readLogits(logitRow, logits);
            }
        } finally {
            forwardLock.unlock();
        }
    }

    // ---- access for schedulers that batch many sequences into one forward pass ----

    /** Reserves a free KV-cache slot (as {@link #newSession} does) for a scheduler; -1 when every slot is taken. */
    public int reserveSlot() {
        synchronized (slotInUse) {
            for (int s = 0; s < slotInUse.length; s++) {
                if (!slotInUse[s]) {
                    slotInUse[s] = true;
                    return s;
                }
            }
        }
        return -1;
    }

    /** Gives back a slot from {@link #reserveSlot()}. */
    public void releaseSlot(int slot) {
        release(slot);
    }

    /** An empty batch sized for this model (rows and logit rows). */
    public ForwardBatch newForwardBatch() {
        return model.newBatch();
    }

    /** Runs a batch of any number of sequences and copies logit row {@code i} into {@code logits[i]}. */
    public void forwardBatch(ForwardBatch batch, float[][] logits) {
        forwardLock.lock();
        try {
            model.forward(batch, cache);
            for (int i = 0; i < batch.logitRows(); i++) {
                model.readLogits(i, logits[i]);
            }
        } finally {
            forwardLock.unlock();
        }
    }

    /** Token ids that end a generation (end-of-sequence, end-of-turn). */
    public int[] endTokenIds() {
        return endTokens.clone();
    }

    /** Prompt token ids of a rendered chat (start token, text, control tokens). */
    public int[] encodeChat(ChatPrompt prompt) {
        return encode(prompt);
    }

    @Override
    public void close() {
        forwardLock.lock();
        try {
            backend.close();
            file.close();
        } finally {
            forwardLock.unlock();
        }
    }
}
