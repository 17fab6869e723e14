package fr.publipostage.templates;

/**
 * A template could not be rendered: unknown variable, forbidden call, unknown or forbidden
 * {@code #parse}, template or output too large, syntax error. The message names the template and,
 * when Velocity knows it, the line; it is meant for the admin who edits templates.
 */
public final class TemplateError extends RuntimeException {
    private final String template;

    public TemplateError(String template, String message, Throwable cause) {
        super(template + ": " + message, cause);
        this.template = template;
    }

    public TemplateError(String template, String message) {
        this(template, message, null);
    }

    /** The template file name the error is about. */
    public String template() {
        return template;
    }
}
