package fr.publipostage.templates;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.IncludeEventHandler;
import org.apache.velocity.exception.MethodInvocationException;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.exception.TemplateInitException;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.RuntimeConstants;

/**
 * The sandboxed Velocity engine shared by letters and mails. Templates:
 * <ul>
 *   <li>are found only through the {@link TemplateResolver} (no file system, no classpath), and so is
 *       every {@code #parse}/{@code #include}, which may only name another file of the same set;</li>
 *   <li>run in strict mode: an unknown variable, property or method is an error, not a blank;</li>
 *   <li>reach objects through {@link SandboxUberspector} only (no reflection, no class access, no setters);</li>
 *   <li>are limited in size, in {@code #foreach} iterations, in {@code #parse} depth and in output size;</li>
 *   <li>print every value XML-escaped.</li>
 * </ul>
 * Thread-safe: one instance serves every thread; parsed templates are cached per structure and file.
 */
public final class VelocityRenderer {
    /** Limits of the sandbox. */
    public record Limits(int maxTemplateChars, int maxLoops, int maxOutputChars, int maxParseDepth) {
        public static final Limits DEFAULT = new Limits(100_000, 1_000, 2_000_000, 5);
    }

    private final VelocityEngine engine;
    private final Limits limits;
    private final ResolverResourceLoader loader;

    public VelocityRenderer(TemplateResolver resolver) {
        this(resolver, Limits.DEFAULT);
    }

    public VelocityRenderer(TemplateResolver resolver, Limits limits) {
        this.limits = limits;
        Properties p = new Properties();
        p.setProperty(RuntimeConstants.RESOURCE_LOADERS, "resolver");
        p.setProperty(RuntimeConstants.RESOURCE_LOADER + ".resolver." + RuntimeConstants.RESOURCE_LOADER_CACHE, "true");
        // Never re-checked: resource names carry the override's version (ResolverResourceLoader).
        p.setProperty(RuntimeConstants.RESOURCE_LOADER + ".resolver." + RuntimeConstants.RESOURCE_LOADER_CHECK_INTERVAL, "0");
        p.setProperty("resource.manager.cache.default_size", "2000");
        p.setProperty(RuntimeConstants.INPUT_ENCODING, "UTF-8");
        p.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        p.setProperty(RuntimeConstants.UBERSPECT_CLASSNAME, SandboxUberspector.class.getName());
        p.setProperty(RuntimeConstants.MAX_NUMBER_LOOPS, Integer.toString(limits.maxLoops()));
        p.setProperty("directive.parse.max_depth", Integer.toString(limits.maxParseDepth()));
        p.setProperty("velocimacro.max_depth", "10");
        p.setProperty("velocimacro.inline.local_scope", "true");
        p.setProperty("velocimacro.inline.replace_global", "false");
        p.setProperty("runtime.log.log_invalid_references", "false");
        p.setProperty(RuntimeConstants.SPACE_GOBBLING, "lines");
        VelocityEngine e = new VelocityEngine();
        e.setProperties(p);
        this.loader = new ResolverResourceLoader(resolver, limits.maxTemplateChars());
        e.setProperty(RuntimeConstants.RESOURCE_LOADER + ".resolver." + RuntimeConstants.RESOURCE_LOADER_INSTANCE, loader);
        e.init();
        this.engine = e;
    }

    public Limits limits() {
        return limits;
    }

    /** Renders {@code file} (resolved for {@code structureId}, null = built-in) to a string. */
    public String render(Long structureId, String file, Map<String, Object> variables) {
        StringWriter out = new StringWriter(4096);
        render(structureId, file, variables, out);
        return out.toString();
    }

    /**
     * Renders {@code file} with these variables into {@code out}.
     *
     * @throws TemplateError for anything the template did wrong (the message names file and line)
     */
    public void render(Long structureId, String file, Map<String, Object> variables, Writer out) {
        if (!TemplateResolver.isValidName(file)) throw new TemplateError(String.valueOf(file), "invalid template name");
        VelocityContext context = new VelocityContext(new java.util.HashMap<>(variables));
        EventCartridge events = new EventCartridge();
        events.addEventHandler(new XmlEscaping());
        events.addEventHandler(new SameSetIncludes(loader));
        events.attachToContext(context);
        LimitedWriter limited = new LimitedWriter(out, limits.maxOutputChars(), file);
        try {
            Template template = engine.getTemplate(loader.resourceName(structureId, file), "UTF-8");
            template.merge(context, limited);
        } catch (TemplateError e) {
            throw e;
        } catch (ResourceNotFoundException e) {
            throw new TemplateError(file, "template not found or refused: " + e.getMessage(), e);
        } catch (ParseErrorException e) {
            throw new TemplateError(file, "syntax error: " + e.getMessage().lines().findFirst().orElse(""), e);
        } catch (MethodInvocationException e) {
            if (e.getCause() instanceof TemplateError t) throw t;
            throw new TemplateError(file, e.getMessage(), e);
        } catch (TemplateInitException e) {
            throw new TemplateError(file, e.getMessage(), e);
        } catch (VelocityException e) {
            if (e.getCause() instanceof TemplateError t) throw t;
            throw new TemplateError(file, e.getMessage(), e);
        }
    }

    /** Whether the set has this template for this structure (e.g. to validate an override's name). */
    public boolean exists(Long structureId, String file) {
        return TemplateResolver.isValidName(file)
                && engine.resourceExists(loader.resourceName(structureId, file));
    }

    /** {@code #parse("x.vm")} and {@code #include} may only name a file of the same set, for the same structure. */
    private static final class SameSetIncludes implements IncludeEventHandler {
        private final ResolverResourceLoader loader;

        SameSetIncludes(ResolverResourceLoader loader) {
            this.loader = loader;
        }

        @Override
        public String includeEvent(org.apache.velocity.context.Context context, String includeResourcePath,
                                   String currentResourcePath, String directiveName) {
            String current = ResolverResourceLoader.fileOf(currentResourcePath);
            if (!TemplateResolver.isValidName(includeResourcePath)) {
                throw new TemplateError(current, "#" + directiveName + "(\"" + includeResourcePath
                        + "\") refused: only another template file of the set may be named");
            }
            return loader.resourceName(ResolverResourceLoader.structureOf(currentResourcePath),
                    includeResourcePath);
        }
    }

    /** Stops a template that prints without end (e.g. a huge range). */
    private static final class LimitedWriter extends Writer {
        private final Writer out;
        private final int max;
        private final String file;
        private long written;

        LimitedWriter(Writer out, int max, String file) {
            this.out = out;
            this.max = max;
            this.file = file;
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            written += len;
            if (written > max) throw new TemplateError(file, "output larger than " + max + " characters");
            out.write(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            written += len;
            if (written > max) throw new TemplateError(file, "output larger than " + max + " characters");
            out.write(str, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
