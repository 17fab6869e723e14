package fr.publipostage.templates;

/**
 * The text of one template file as resolved for a structure.
 *
 * @param name    the file name, e.g. {@code print-activation.vm}
 * @param origin  where it came from: {@code builtin}, or (later) {@code structure:42}
 * @param version changes whenever the text changes (built-ins: 0; overrides: their version number),
 *                so caches of parsed templates can tell a stale entry
 * @param text    the template itself
 */
public record TemplateSource(String name, String origin, long version, String text) {
    /**
     * The version tag of resource names ({@code b} built-in, {@code v7} override version 7, {@code d}
     * a draft): Velocity caches a parsed template under its tag, so a tag must name one text only.
     */
    public String tag() {
        if (BuiltinTemplates.ORIGIN.equals(origin)) return "b";
        if (DraftTemplates.ORIGIN.equals(origin)) return "d";
        return "v" + Math.max(0, version);
    }
}
