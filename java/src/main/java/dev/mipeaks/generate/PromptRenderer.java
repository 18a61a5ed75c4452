package dev.mipeaks.generate;

/**
 * Turns a user message into the model's prompt text (a chat template). The seam for the Jinja-based renderer of
 * dev.mipeaks.eval; {@link SimpleChatTemplate} covers the templates of the models this project traces.
 */
@FunctionalInterface
public interface PromptRenderer {
    /** The full prompt text for one user turn, ending where the assistant's reply begins. */
    String render(String userMessage);
}
