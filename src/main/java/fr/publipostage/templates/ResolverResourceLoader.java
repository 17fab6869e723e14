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
        String tag = resolver.resolve(structureId, file)
                .map(t -> BuiltinTemplates.ORIGIN.equals(t.origin()) ? "b" : "v" + Math.max(0, t.version()))
                .orElse("x");
        return (structureId == null ? NO_STRUCTURE : structureId.toString()) + "/" + tag + "/" + file;
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
        return resolver.resolve(structureOf(resourceName), file);
    }

    @Override
    public Reader getResourceReader(String source, String encoding) {
        TemplateSource template = find(source)
                .orElseThrow(() -> new ResourceNotFoundException("no template named " + fileOf(source)));
        if (template.text().length() > maxTemplateChars) {
            throw new TemplateError(template.name(), TemplateError.Reason.TEMPLATE_TOO_LARGE,
                    Integer.toString(maxTemplateChars), "template larger than " + maxTemplateChars + " characters");
        }
        return new StringReader(template.text());
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
