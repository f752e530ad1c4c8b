package dev.infer4j.server.cli;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.generate.ChatSession;
import dev.infer4j.engine.generate.ChatTemplate;
import dev.infer4j.engine.generate.GenerationOptions;
import dev.infer4j.engine.generate.GenerationResult;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.generate.UnsupportedChatTemplateException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code infer4j chat}: an interactive conversation. Each line of standard input is a user turn; the answer
 * streams to standard output. The conversation stays in the model's KV cache, so each turn only processes
 * what is new. {@code /reset} starts over, {@code /exit} or end of input quits.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chats with a GGUF instruct model: one user turn per input line, answers streamed to standard output.",
            "Commands: /reset starts a new conversation, /exit quits.",
            "Chat templates: recognised from the model's tokenizer.chat_template (llama2, llama3, chatml, mistral, phi3)."})
public final class ChatCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
    String system;

    @Option(names = "--chat-template", paramLabel = "NAME",
            description = "Use this template instead of the model's: llama2, llama3, chatml, mistral, phi3.")
    String template;

    @Mixin
    GenerateCommand.DecodingOptions decoding = new GenerateCommand.DecodingOptions();

    private final InputStream stdin;

    public ChatCommand() {
        this(System.in);
    }

    ChatCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
        GenerationOptions options = decoding.generationOptions(spec, 1024);
        ChatTemplate chosen = template == null ? null : ChatTemplate.byName(template);
        try (Generator generator = Infer4j.generator(model, decoding.generatorOptions(spec))) {
            ChatTemplate t;
            try {
                t = chosen != null ? chosen : generator.chatTemplate();
            } catch (UnsupportedChatTemplateException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage() + " with --chat-template NAME");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            err.println("infer4j chat: " + model.getFileName() + " (" + t.id() + " template, context "
                    + generator.contextLength() + " tokens). /reset starts over, /exit quits.");
            err.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            ChatSession chat = newChat(generator, t);
            try {
                for (String line = prompt(in, err); line != null; line = prompt(in, err)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if (line.strip().equals("/exit")) {
                        break;
                    }
                    if (line.strip().equals("/reset")) {
                        chat.close();
                        chat = newChat(generator, t);
                        continue;
                    }
                    GenerationResult r = chat.send(line, options, text -> {
                        out.print(text);
                        out.flush();
                    });
                    out.println();
                    out.flush();
                    decoding.printStats(spec, generator, r);
                }
            } finally {
                chat.close();
            }
        }
        return 0;
    }

    private ChatSession newChat(Generator generator, ChatTemplate t) {
        ChatSession chat = generator.newChat(t);
        if (system != null) {
            chat.system(system);
        }
        return chat;
    }

    private static String prompt(BufferedReader in, PrintWriter err) throws IOException {
        err.print("> ");
        err.flush();
        return in.readLine();
    }
}
