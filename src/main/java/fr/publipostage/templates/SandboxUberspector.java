package fr.publipostage.templates;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.velocity.runtime.directive.ForeachScope;
import org.apache.velocity.runtime.directive.Scope;
import org.apache.velocity.util.introspection.Info;
import org.apache.velocity.util.introspection.SecureUberspector;
import org.apache.velocity.util.introspection.VelMethod;
import org.apache.velocity.util.introspection.VelPropertyGet;
import org.apache.velocity.util.introspection.VelPropertySet;

/**
 * Velocity's {@link SecureUberspector} (no reflection, no class loaders, no System…) narrowed to
 * allow-lists: on {@link TemplateView}s any public method but {@code getClass}/{@code wait}/…;
 * on {@code $foreach} its count, index, first, last and hasNext;
 * on strings, numbers, booleans, characters, lists and maps only the read-only methods listed
 * below, none of which can build a value larger than the limit ({@code repeat}, {@code format},
 * regular expressions, {@code String.join}… are not there; {@code concat} and {@code replace}
 * are measured first); nothing can be set. A refused member that exists is a
 * {@link TemplateError.Reason#FORBIDDEN_CALL}; one that does not exist is left to strict mode
 * (an unknown reference). Arguments and results are measured like every template value.
 */
public final class SandboxUberspector extends SecureUberspector {
    /** Engine property: the largest value (in characters) a method may take or return. */
    static final String MAX_VALUE_CHARS = "publipostage.sandbox.max_value_chars";

    private static final Set<String> FORBIDDEN_METHODS = Set.of("getClass", "wait", "notify", "notifyAll",
            "class", "forName", "newInstance", "getClassLoader", "classLoader", "declaringClass", "getDeclaringClass");

    private static final Set<String> STRING_METHODS = Set.of("length", "isEmpty", "isBlank", "charAt", "substring",
            "indexOf", "lastIndexOf", "contains", "startsWith", "endsWith", "equals", "equalsIgnoreCase", "compareTo",
            "compareToIgnoreCase", "toUpperCase", "toLowerCase", "trim", "strip", "stripLeading", "stripTrailing",
            "toString", "concat", "replace", "hashCode");
    private static final Set<String> SCALAR_METHODS = Set.of("toString", "intValue", "longValue", "doubleValue",
            "floatValue", "booleanValue", "charValue", "compareTo", "equals", "hashCode");
    private static final Set<String> COLLECTION_METHODS = Set.of("size", "isEmpty", "get", "contains", "indexOf",
            "lastIndexOf", "subList", "toString", "equals", "hashCode");
    private static final Set<String> MAP_METHODS = Set.of("size", "isEmpty", "get", "containsKey", "containsValue",
            "getOrDefault", "keySet", "values", "entrySet", "toString", "equals", "hashCode");
    private static final Set<String> ENTRY_METHODS = Set.of("getKey", "getValue", "toString", "equals", "hashCode");
    /** {@code $foreach.count}, {@code $foreach.hasNext}…: Velocity's loop state. */
    private static final Set<String> FOREACH_METHODS = Set.of("getIndex", "getCount", "hasNext", "getHasNext",
            "isFirst", "getFirst", "isLast", "getLast", "index", "count", "first", "last", "toString");
    /** Properties ({@code $x.empty}) of non-view objects, by the getter they call. */
    private static final Map<String, String> PROPERTIES = Map.of("empty", "isEmpty", "blank", "isBlank",
            "key", "getKey", "value", "getValue");

    private static final Set<String> SEARCHES = Set.of("indexOf", "lastIndexOf", "contains", "replace");
    private static final long MAX_SEARCH_STEPS = 100_000_000L;

    private long maxValueChars = 2_000_000;

    @Override
    public void init() {
        super.init();
        maxValueChars = rsvc.getInt(MAX_VALUE_CHARS, (int) maxValueChars);
    }

    /** Whether templates may call {@code member} on {@code target} (a method, or a property of a view or map). */
    static boolean allowed(Object target, String member) {
        if (target == null || member == null || FORBIDDEN_METHODS.contains(member)) return false;
        if (target instanceof TemplateView) return true;
        // A Velocity scope is a Map whose get() also hands out its parent, info, replaced value…
        if (target instanceof Scope) return target instanceof ForeachScope && FOREACH_METHODS.contains(member);
        if (target instanceof String) return STRING_METHODS.contains(member);
        if (target instanceof Number || target instanceof Boolean || target instanceof Character) {
            return SCALAR_METHODS.contains(member);
        }
        if (target instanceof Collection) return COLLECTION_METHODS.contains(member);
        if (target instanceof Map) return MAP_METHODS.contains(member);
        if (target instanceof Map.Entry) return ENTRY_METHODS.contains(member);
        return false;
    }

    @Override
    public VelMethod getMethod(Object obj, String methodName, Object[] args, Info info) {
        if (obj == null) return null;
        if (!allowed(obj, methodName)) {
            if (!hasMethod(obj, methodName)) return null;
            throw refused(info, methodName + "()");
        }
        VelMethod method = super.getMethod(obj, methodName, args, info);
        return method == null ? null : new MeasuredMethod(method, info);
    }

    @Override
    public VelPropertyGet getPropertyGet(Object obj, String identifier, Info info) {
        if (obj == null) return null;
        boolean allowed = FORBIDDEN_METHODS.contains(identifier) ? false
                : obj instanceof Scope ? obj instanceof ForeachScope && FOREACH_METHODS.contains(identifier)
                : obj instanceof TemplateView || obj instanceof Map ? true
                : PROPERTIES.containsKey(identifier) && allowed(obj, PROPERTIES.get(identifier));
        if (!allowed) {
            String cap = identifier.isEmpty() ? "" : identifier.substring(0, 1).toUpperCase(Locale.ROOT) + identifier.substring(1);
            if (!FORBIDDEN_METHODS.contains(identifier) && !hasMethod(obj, "get" + cap) && !hasMethod(obj, "is" + cap)) {
                return null;
            }
            throw refused(info, identifier);
        }
        return super.getPropertyGet(obj, identifier, info);
    }

    /** Templates read; they never write into the objects they are given. */
    @Override
    public VelPropertySet getPropertySet(Object obj, String identifier, Object arg, Info info) {
        if (obj == null) return null;
        throw refused(info, "#set(…" + identifier + ")");
    }

    private static boolean hasMethod(Object obj, String name) {
        return Arrays.stream(obj.getClass().getMethods()).anyMatch(m -> m.getName().equals(name));
    }

    private static String file(Info info) {
        return info == null || info.getTemplateName() == null ? "?" : ResolverResourceLoader.fileOf(info.getTemplateName());
    }

    private static TemplateError refused(Info info, String member) {
        return new TemplateError(file(info), TemplateError.Reason.FORBIDDEN_CALL, info == null ? 0 : info.getLine(),
                info == null ? 0 : info.getColumn(), member, member + " is not allowed in templates", null);
    }

    /** A method whose arguments and result are measured against the value limit. */
    private final class MeasuredMethod implements VelMethod {
        private final VelMethod method;
        private final Info info;

        MeasuredMethod(VelMethod method, Info info) {
            this.method = method;
            this.info = info;
        }

        @Override
        public Object invoke(Object o, Object[] params) throws IllegalAccessException, InvocationTargetException {
            String name = method.getMethodName();
            for (Object p : params) check(p, name + "()");
            if (o instanceof Collection || o instanceof Map) {
                if (!name.equals("size") && !name.equals("isEmpty") && !name.equals("get")) check(o, name + "()");
            }
            if (o instanceof String s && params.length >= 1 && params[0] instanceof CharSequence needle
                    && SEARCHES.contains(name) && (long) s.length() * needle.length() > MAX_SEARCH_STEPS) {
                // A naive search is length × needle steps at worst: minutes for two strings of a million.
                throw tooLarge(name + "()");
            }
            if (o instanceof String s && params.length == 2 && name.equals("replace")) {
                long from = String.valueOf(params[0]).length();
                long to = String.valueOf(params[1]).length();
                long bound = from == 0 ? (s.length() + 1) * (to + 1) : s.length() + (s.length() / from) * Math.max(0, to - from);
                if (bound > maxValueChars) throw tooLarge(name + "()");
            }
            if (o instanceof MessagesView messages && name.equals("get") && params.length >= 1
                    && messages.filledLength(String.valueOf(params[0]), Arrays.copyOfRange(params, 1, params.length))
                    > maxValueChars) {
                // A text of many {0} and a long argument: measured before it is filled.
                throw tooLarge(name + "()");
            }
            if (o instanceof String s && params.length == 1 && name.equals("concat")
                    && s.length() + String.valueOf(params[0]).length() > maxValueChars) {
                throw tooLarge(name + "()");
            }
            Object result = method.invoke(o, params);
            check(result, name + "()");
            return result;
        }

        private void check(Object value, String what) {
            if (RenderGuard.weight(value, maxValueChars) > maxValueChars) throw tooLarge(what);
        }

        private TemplateError tooLarge(String what) {
            return RenderGuard.tooLarge(file(info), what, maxValueChars, info == null ? 0 : info.getLine(),
                    info == null ? 0 : info.getColumn());
        }

        @Override
        public boolean isCacheable() {
            return method.isCacheable();
        }

        @Override
        public String getMethodName() {
            return method.getMethodName();
        }

        @Override
        public Method getMethod() {
            return method.getMethod();
        }

        @Override
        public Class<?> getReturnType() {
            return method.getReturnType();
        }
    }
}
