package dev.infer4j.engine.generate;

/** The model's chat template is not one infer4j can render, or a template name is unknown. */
public final class UnsupportedChatTemplateException extends IllegalArgumentException {
    public UnsupportedChatTemplateException(String message) {
        super(message);
    }
}
