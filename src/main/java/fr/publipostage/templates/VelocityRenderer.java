package fr.publipostage.templates;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.IncludeEventHandler;
import org.apache.velocity.exception.MethodInvocationException;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.ResourceNotFoundException;
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
    /**
     * Limits of the sandbox, per render call. {@code maxOutputChars} also bounds every value a
     * template builds (string, list, map: measured as the characters it would print).
     */
    public record Limits(int maxTemplateChars, int maxLoops, int maxOutputChars, int maxParseDepth,
                         Duration maxRenderTime) {
        public static final Duration DEFAULT_MAX_RENDER_TIME = Duration.ofSeconds(2);
        public static final Limits DEFAULT = new Limits(100_000, 1_000, 2_000_000, 5);

        public Limits {
            if (maxRenderTime == null || maxRenderTime.isNegative() || maxRenderTime.isZero()) {
                throw new IllegalArgumentException("maxRenderTime must be positive");
            }
        }

        public Limits(int maxTemplateChars, int maxLoops, int maxOutputChars, int maxParseDepth) {
            this(maxTemplateChars, maxLoops, maxOutputChars, maxParseDepth, DEFAULT_MAX_RENDER_TIME);
        }
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
        // #foreach that checks the render's deadline; value-building nodes checked for size.
        p.setProperty(RuntimeConstants.CUSTOM_DIRECTIVES,
                SandboxForeach.class.getName() + "," + RefusedEvaluate.class.getName() + ","
                        + RefusedStop.class.getName() + "," + RefusedDefine.class.getName());
        p.setProperty(RuntimeConstants.RESOURCE_MANAGER_CLASS, GuardingResourceManager.class.getName());
        p.setProperty(SandboxUberspector.MAX_VALUE_CHARS, Integer.toString(limits.maxOutputChars()));
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
        if (!TemplateResolver.isValidName(file)) {
            throw new TemplateError(String.valueOf(file), TemplateError.Reason.NOT_IN_SET, String.valueOf(file),
                    "invalid template name");
        }
        RenderGuard guard = new RenderGuard(file, limits);
        VelocityContext context = new GuardedContext(new HashMap<>(variables), guard);
        context.put(RenderGuard.KEY, guard);
        EventCartridge events = new EventCartridge();
        events.addEventHandler(new XmlEscaping());
        events.addEventHandler(new SameSetIncludes(loader));
        events.attachToContext(context);
        LimitedWriter limited = new LimitedWriter(out, limits.maxOutputChars(), guard);
        try {
            Template template = engine.getTemplate(loader.resourceName(structureId, file), "UTF-8");
            template.merge(context, limited);
        } catch (TemplateError e) {
            throw e;
        } catch (StackOverflowError e) {
            // Last resort: the loader refuses deep nesting before parsing, #define is refused; whatever
            // else recurses without end is the template's fault, told as such, never a server error.
            throw new TemplateError(file, TemplateError.Reason.SYNTAX, 0, 0, "recursion",
                    "the template nests or recurses too deeply", null);
        } catch (ResourceNotFoundException e) {
            // The top-level file, or a #parse/#include of a valid name that is not in the set.
            Matcher missing = MISSING_TEMPLATE.matcher(String.valueOf(e.getMessage()));
            String name = missing.find() ? missing.group(1) : file;
            throw new TemplateError(file, TemplateError.Reason.NOT_IN_SET, name, name + ": no such template in the set");
        } catch (ParseErrorException e) {
            TemplateError inner = templateErrorIn(e);
            if (inner != null) throw inner;
            String first = clean(e.getMessage().lines().findFirst().orElse(""));
            Matcher at = POSITION.matcher(first);
            String what = at.find() ? first.substring(0, at.start()).trim() : first;
            throw new TemplateError(fileOf(e.getTemplateName(), file), TemplateError.Reason.SYNTAX,
                    e.getLineNumber(), e.getColumnNumber(), what, "syntax error: " + what, e);
        } catch (MethodInvocationException e) {
            TemplateError inner = templateErrorIn(e);
            if (inner != null) throw inner;
            String where = fileOf(e.getTemplateName(), file);
            if (e.getCause() == null) {
                // Strict mode: an unknown variable, property or method.
                String reference = unknownReference(e.getMessage(), e.getReferenceName());
                throw new TemplateError(where, TemplateError.Reason.UNKNOWN_REFERENCE, e.getLineNumber(),
                        e.getColumnNumber(), reference, "unknown reference " + reference, e);
            }
            String reference = e.getReferenceName() == null ? "" : "$" + e.getReferenceName();
            throw new TemplateError(where, TemplateError.Reason.OTHER, e.getLineNumber(), e.getColumnNumber(),
                    reference, reference + " failed: " + e.getCause().getClass().getSimpleName(), e);
        } catch (VelocityException e) {
            TemplateError inner = templateErrorIn(e);
            if (inner != null) throw inner;
            String message = clean(e.getMessage());
            Matcher at = POSITION.matcher(message);
            if (at.find()) {
                String what = message.substring(0, at.start()).trim();
                Matcher nullRef = NULL_REFERENCE.matcher(what);
                throw new TemplateError(at.group(1), TemplateError.Reason.OTHER, Integer.parseInt(at.group(2)),
                        Integer.parseInt(at.group(3)), nullRef.find() ? nullRef.group(1) : what, what, e);
            }
            throw new TemplateError(file, message, e);
        }
    }

    private static final Pattern MISSING_TEMPLATE = Pattern.compile("no template named ([a-z0-9][a-z0-9_.-]*)");
    private static final Pattern POSITION = Pattern.compile("at ([a-z0-9][a-z0-9_.-]*)\\[line (\\d+), column (\\d+)\\]");
    private static final Pattern UNSET_VARIABLE = Pattern.compile("Variable (\\$[\\w-]+) has not been set");
    private static final Pattern MISSING_MEMBER = Pattern.compile("does not contain (?:property|method) '?([\\w-]+)");
    private static final Pattern NULL_REFERENCE = Pattern.compile("^Reference (\\S+) evaluated to null");

    /** The reference strict mode refused, without Velocity's Java class names: {@code $acount}, {@code $account.pasword}. */
    private static String unknownReference(String message, String referenceName) {
        if (message == null) return "";
        Matcher unset = UNSET_VARIABLE.matcher(message);
        if (unset.find()) return unset.group(1);
        Matcher member = MISSING_MEMBER.matcher(message);
        String base = referenceName == null ? "" : "$" + referenceName;
        if (member.find()) return base + "." + member.group(1);
        return base;
    }

    private static String fileOf(String resourceName, String otherwise) {
        return resourceName == null ? otherwise : ResolverResourceLoader.fileOf(resourceName);
    }

    private static TemplateError templateErrorIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TemplateError error) return error;
        }
        return null;
    }

    /** Velocity's message without our resource names' structure prefix ("7/x.vm" → "x.vm"). */
    private static String clean(String message) {
        return message == null ? "" : message.replaceAll("(?<![\\w/])(?:-|[0-9]{1,18})/(?:[bvxd][0-9]*/)?([a-z0-9][a-z0-9_.-]*)", "$1");
    }

    /** The context of one render: every variable read or write checks the deadline (macros, #set…). */
    private static final class GuardedContext extends VelocityContext {
        private final RenderGuard guard;

        GuardedContext(Map<String, Object> variables, RenderGuard guard) {
            super(variables);
            this.guard = guard;
        }

        @Override
        public Object internalGet(String key) {
            guard.checkTime(0, 0);
            return super.internalGet(key);
        }

        @Override
        public Object internalPut(String key, Object value) {
            guard.checkTime(0, 0);
            return super.internalPut(key, value);
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
            String shown = includeResourcePath == null ? "" : includeResourcePath.length() > 100
                    ? includeResourcePath.substring(0, 100) + "…" : includeResourcePath;
            if (!TemplateResolver.isValidName(includeResourcePath)) {
                throw new TemplateError(current, TemplateError.Reason.NOT_IN_SET, "#" + directiveName + "('" + shown + "')",
                        "#" + directiveName + "('" + shown + "') refused: only another template file of the set may be named");
            }
            return loader.resourceName(ResolverResourceLoader.structureOf(currentResourcePath),
                    includeResourcePath);
        }
    }

    /** Stops a template that prints without end (e.g. a huge range). */
    private static final class LimitedWriter extends Writer {
        private final Writer out;
        private final int max;
        private final RenderGuard guard;
        private long written;

        LimitedWriter(Writer out, int max, RenderGuard guard) {
            this.out = out;
            this.max = max;
            this.guard = guard;
        }

        private void count(int len) {
            guard.checkTime(0, 0);
            written += len;
            if (written > max) {
                throw new TemplateError(guard.file(), TemplateError.Reason.OUTPUT_TOO_LARGE, Integer.toString(max),
                        "output larger than " + max + " characters");
            }
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            count(len);
            out.write(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            count(len);
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
