package fr.publipostage.templates;

import java.util.Locale;

/**
 * A template could not be rendered: unknown variable, forbidden call, unknown or forbidden
 * {@code #parse}, template or output too large, too slow, syntax error. It is meant for the admin
 * who edits templates: {@link #reason()}, {@link #line()}, {@link #column()} and {@link #detail()}
 * say what and where; {@link #messageKey()} and {@link #messageArgs()} give the text in his language
 * ({0} template, {1} line, {2} column, {3} detail). The message never names a Java class.
 */
public final class TemplateError extends RuntimeException {
    /** What went wrong; the i18n key is {@code template.error.<reason in lower case>}. */
    public enum Reason {
        /** Velocity syntax error. */
        SYNTAX,
        /** Unknown variable, property or method (strict mode). */
        UNKNOWN_REFERENCE,
        /** A method or property the sandbox refuses (class access, reflection, mutation, a method that could exhaust memory…). */
        FORBIDDEN_CALL,
        /** {@code #parse}/{@code #include} of something that is not a file of the structure's template set. */
        NOT_IN_SET,
        /** The template file is larger than the limit. */
        TEMPLATE_TOO_LARGE,
        /** The output is larger than the limit. */
        OUTPUT_TOO_LARGE,
        /** A value (string, list) built by the template is larger than the limit. */
        VALUE_TOO_LARGE,
        /** The render took longer than the limit. */
        TIMEOUT,
        /** The HTML names a resource (image, CSS, font) that is not a {@code data:} URI. */
        RESOURCE_REFUSED,
        /** The page declares entities of its own ({@code <!DOCTYPE … [ <!ENTITY … > ]>}), see {@link XmlProlog}. */
        ENTITY_DECLARATIONS,
        /** Anything else the template did wrong (e.g. a method that failed, a missing {@code $content}). */
        OTHER;

        public String messageKey() {
            return "template.error." + name().toLowerCase(Locale.ROOT);
        }
    }

    private final String template;
    private final Reason reason;
    private final int line;
    private final int column;
    private final String detail;

    public TemplateError(String template, Reason reason, int line, int column, String detail, String message,
                         Throwable cause) {
        super(template + (line > 0 ? " line " + line + ", column " + column : "") + ": " + message, cause);
        this.template = template;
        this.reason = reason;
        this.line = Math.max(line, 0);
        this.column = Math.max(column, 0);
        this.detail = detail == null ? "" : detail;
    }

    public TemplateError(String template, Reason reason, String detail, String message) {
        this(template, reason, 0, 0, detail, message, null);
    }

    public TemplateError(String template, String message, Throwable cause) {
        this(template, Reason.OTHER, 0, 0, message, message, cause);
    }

    public TemplateError(String template, String message) {
        this(template, message, null);
    }

    /** A resource (image, style sheet, font) the rendered HTML of {@code template} names and may not read. */
    public static TemplateError resourceRefused(String template, String uri) {
        return new TemplateError(template, Reason.RESOURCE_REFUSED, uri, "resource refused: " + uri);
    }

    /** The template file name the error is about. */
    public String template() {
        return template;
    }

    public Reason reason() {
        return reason;
    }

    /** 1-based line in {@link #template()}, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column in {@link #template()}, 0 when unknown. */
    public int column() {
        return column;
    }

    /** What the error is about: the reference, the refused method or include, the limit… ("" when none). */
    public String detail() {
        return detail;
    }

    /** The i18n key of the admin's message: {@code template.error.<reason>}. */
    public String messageKey() {
        return reason.messageKey();
    }

    /** The arguments of {@link #messageKey()}: template, line, column, detail. */
    public Object[] messageArgs() {
        return new Object[] {template, line, column, detail};
    }
}
