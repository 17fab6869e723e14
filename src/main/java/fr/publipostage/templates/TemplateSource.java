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
}
