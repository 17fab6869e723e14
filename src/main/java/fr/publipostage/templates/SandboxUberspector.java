package fr.publipostage.templates;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.velocity.util.introspection.Info;
import org.apache.velocity.util.introspection.SecureUberspector;
import org.apache.velocity.util.introspection.VelMethod;
import org.apache.velocity.util.introspection.VelPropertyGet;
import org.apache.velocity.util.introspection.VelPropertySet;

/**
 * Velocity's {@link SecureUberspector} (no reflection, no class loaders, no System…) narrowed to an
 * allow-list: methods may be called and properties read only on {@link TemplateView}s, strings,
 * numbers, booleans, characters, and collections and maps; never {@code getClass}, {@code wait},
 * {@code notify}; and nothing can be set. Anything else is "no such method", which strict mode
 * turns into an error.
 */
public final class SandboxUberspector extends SecureUberspector {
    private static final Set<String> FORBIDDEN_METHODS = Set.of("getClass", "wait", "notify", "notifyAll",
            "class", "forName", "newInstance", "getClassLoader", "toArray", "stream", "parallelStream",
            "spliterator", "iterator", "forEach", "removeIf", "replaceAll", "clear", "add", "addAll",
            "remove", "removeAll", "retainAll", "put", "putAll", "set", "sort", "compute", "computeIfAbsent",
            "computeIfPresent", "merge", "putIfAbsent", "replace", "getBytes", "chars", "codePoints", "lines");

    static boolean allowed(Object target, String member) {
        if (target == null || member == null || FORBIDDEN_METHODS.contains(member)) return false;
        return target instanceof TemplateView || target instanceof String || target instanceof Number
                || target instanceof Boolean || target instanceof Character
                || target instanceof Collection || target instanceof Map;
    }

    @Override
    public VelMethod getMethod(Object obj, String methodName, Object[] args, Info info) {
        return allowed(obj, methodName) ? super.getMethod(obj, methodName, args, info) : null;
    }

    @Override
    public VelPropertyGet getPropertyGet(Object obj, String identifier, Info info) {
        return allowed(obj, identifier) ? super.getPropertyGet(obj, identifier, info) : null;
    }

    /** Templates read; they never write into the objects they are given. */
    @Override
    public VelPropertySet getPropertySet(Object obj, String identifier, Object arg, Info info) {
        return null;
    }
}
