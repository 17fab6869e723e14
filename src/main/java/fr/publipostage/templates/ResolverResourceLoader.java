package fr.publipostage.templates;

import java.io.Reader;
import java.io.StringReader;
import java.util.Optional;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.runtime.resource.Resource;
import org.apache.velocity.util.ExtProperties;

/**
 * Velocity's only resource loader: every template name Velocity asks for is
 * {@code "<structure>/<version tag>/<file>"} ({@code "-"} for no structure) and is looked up through the
 * {@link TemplateResolver}; nothing is read from the file system or the classpath directly. Templates
 * larger than the limit are refused. The tag ({@code b} built-in, {@code v7} override version 7) makes
 * Velocity's cache exact: a saved override gets a new name, so it is parsed anew at once and no
 * modification check is needed.
 */
final class ResolverResourceLoader extends org.apache.velocity.runtime.resource.loader.ResourceLoader {
    static final String NO_STRUCTURE = "-";

    private final TemplateResolver resolver;
    private final int maxTemplateChars;

    ResolverResourceLoader(TemplateResolver resolver, int maxTemplateChars) {
        this.resolver = resolver;
        this.maxTemplateChars = maxTemplateChars;
    }

    /** The name under which Velocity caches this structure's current text of {@code file}. */
    String resourceName(Long structureId, String file) {
        String tag = resolver.resolve(structureId, file).map(TemplateSource::tag).orElse("x");
        return (structureId == null ? NO_STRUCTURE : structureId.toString()) + "/" + tag + "/" + file;
    }

    /** The version tag of a resource name ({@code b}, {@code v7}, {@code d}, {@code x}), or null. */
    static String tagOf(String resourceName) {
        int first = resourceName.indexOf('/');
        int last = resourceName.lastIndexOf('/');
        return first < 0 || last <= first ? null : resourceName.substring(first + 1, last);
    }

    /** The structure part of a resource name ({@code null} for built-ins only). */
    static Long structureOf(String resourceName) {
        int slash = resourceName.indexOf('/');
        String s = slash < 0 ? NO_STRUCTURE : resourceName.substring(0, slash);
        return s.equals(NO_STRUCTURE) ? null : Long.valueOf(s);
    }

    static String fileOf(String resourceName) {
        return resourceName.substring(resourceName.lastIndexOf('/') + 1);
    }

    @Override
    public void init(ExtProperties configuration) {
        // Configured by construction.
    }

    private Optional<TemplateSource> find(String resourceName) {
        int slash = resourceName.indexOf('/');
        if (slash < 0) return Optional.empty();
        String structure = resourceName.substring(0, slash);
        if (!structure.equals(NO_STRUCTURE) && !structure.matches("[0-9]{1,18}")) return Optional.empty();
        String file = fileOf(resourceName);
        if (!TemplateResolver.isValidName(file)) return Optional.empty();
        String tag = tagOf(resourceName);
        // The version the name says, never the one in force now: Velocity caches the text under this name.
        if (tag == null) return resolver.resolve(structureOf(resourceName), file);
        return resolver.resolveTagged(structureOf(resourceName), file, tag);
    }

    @Override
    public Reader getResourceReader(String source, String encoding) {
        TemplateSource template = find(source)
                .orElseThrow(() -> new ResourceNotFoundException("no template named " + fileOf(source)));
        if (template.text().length() > maxTemplateChars) {
            throw new TemplateError(template.name(), TemplateError.Reason.TEMPLATE_TOO_LARGE,
                    Integer.toString(maxTemplateChars), "template larger than " + maxTemplateChars + " characters");
        }
        checkNesting(template);
        return new StringReader(template.text());
    }

    /** Brackets nested deeper than this are refused before Velocity's recursive parser sees them. */
    static final int MAX_NESTING = 100;

    /**
     * Velocity's parser recurses once per nested bracket: 5,000 of them overflow the stack (issue 10).
     * No letter needs more than a few levels, so a deeper text is a syntax error at the bracket that
     * went too deep.
     */
    private static void checkNesting(TemplateSource template) {
        String text = template.text();
        int depth = 0;
        int line = 1;
        int column = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
            } else if (c == '(' || c == '[' || c == '{') {
                if (++depth > MAX_NESTING) {
                    throw new TemplateError(template.name(), TemplateError.Reason.SYNTAX, line, column,
                            c + " × " + depth, "brackets nested deeper than " + MAX_NESTING, null);
                }
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
    }

    @Override
    public boolean resourceExists(String resourceName) {
        return find(resourceName).isPresent();
    }

    /** Never: a changed override has another name (its version tag). */
    @Override
    public boolean isSourceModified(Resource resource) {
        return false;
    }

    @Override
    public long getLastModified(Resource resource) {
        return find(resource.getName()).map(TemplateSource::version).orElse(0L);
    }
}
