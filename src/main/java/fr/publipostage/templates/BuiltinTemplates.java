package fr.publipostage.templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in templates: files of the top-level {@code templates/} folder, packaged into the jar
 * under {@code templates/} and read from the classpath once (they never change while running).
 */
public final class BuiltinTemplates implements TemplateResolver {
    public static final String ORIGIN = "builtin";
    private static final String FOLDER = "templates/";

    private final ClassLoader classLoader;
    private final ConcurrentHashMap<String, Optional<TemplateSource>> cache = new ConcurrentHashMap<>();

    public BuiltinTemplates() {
        this(BuiltinTemplates.class.getClassLoader());
    }

    BuiltinTemplates(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** The structure is ignored: built-ins are the same for everyone. */
    @Override
    public Optional<TemplateSource> resolve(Long structureId, String name) {
        if (!TemplateResolver.isValidName(name)) return Optional.empty();
        return cache.computeIfAbsent(name, this::load);
    }

    private Optional<TemplateSource> load(String name) {
        try (InputStream in = classLoader.getResourceAsStream(FOLDER + name)) {
            if (in == null) return Optional.empty();
            return Optional.of(new TemplateSource(name, ORIGIN, 0, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
