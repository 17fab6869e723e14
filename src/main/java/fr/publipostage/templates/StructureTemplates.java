package fr.publipostage.templates;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The template set of each structure: its overrides (kept in PostgreSQL with every version) over the
 * built-in files — "structure override → built-in", first match wins. Letters and mails resolve every
 * file through here, {@code #parse} included, so a school replaces one file and inherits the rest.
 * <p>
 * A structure's latest versions are cached for a short while (the letter engine asks once per letter):
 * a save on this instance is seen at once, one on another instance sharing the database within
 * {@code maxAgeMillis}.
 */
public final class StructureTemplates implements TemplateResolver {
    /** Where an override comes from, in {@link TemplateSource#origin()}. */
    public static String origin(long structureId) {
        return "structure:" + structureId;
    }

    /** Someone saved this file since the editor loaded it: nothing was changed. */
    public static final class ConcurrentEdit extends RuntimeException {
        private final int latest;

        public ConcurrentEdit(String name, int latest) {
            super(name + ": version " + latest + " was saved meanwhile");
            this.latest = latest;
        }

        public int latest() {
            return latest;
        }
    }

    private record Snapshot(Map<String, TemplateVersion> latest, long loadedAt) {
    }

    private final SqlSessionFactory sessions;
    private final TemplateResolver builtins;
    private final long maxAgeMillis;
    private final LongSupplier millis;
    private final ConcurrentHashMap<Long, Snapshot> cache = new ConcurrentHashMap<>();
    /** Saves made on this instance, per structure: a snapshot read before one of them is never cached. */
    private final ConcurrentHashMap<Long, java.util.concurrent.atomic.AtomicLong> saves = new ConcurrentHashMap<>();

    public StructureTemplates(SqlSessionFactory sessions, TemplateResolver builtins, long maxAgeMillis, LongSupplier millis) {
        this.sessions = sessions;
        this.builtins = builtins;
        this.maxAgeMillis = maxAgeMillis;
        this.millis = millis;
    }

    @Override
    public Optional<TemplateSource> resolve(Long structureId, String name) {
        if (!TemplateResolver.isValidName(name)) return Optional.empty();
        if (structureId != null) {
            TemplateVersion latest = latest(structureId).get(name);
            if (latest != null && latest.overrides()) {
                return Optional.of(new TemplateSource(name, origin(structureId), latest.version(), latest.text()));
            }
        }
        return builtins.resolve(null, name);
    }

    /**
     * Exactly the version a resource name says: {@code b} the built-in file, {@code vN} the structure's
     * override version N (versions are never changed once written, so this may be read at any time).
     */
    @Override
    public Optional<TemplateSource> resolveTagged(Long structureId, String name, String tag) {
        if (!TemplateResolver.isValidName(name) || tag == null) return Optional.empty();
        if (tag.equals("b")) return builtins.resolve(null, name);
        if (structureId == null || !tag.matches("v[0-9]{1,9}")) return Optional.empty();
        int version = Integer.parseInt(tag.substring(1));
        TemplateVersion latest = latest(structureId).get(name);
        TemplateVersion v = latest != null && latest.version() == version ? latest
                : version(structureId, name, version).orElse(null);
        if (v == null || !v.overrides() || v.text() == null) return Optional.empty();
        return Optional.of(new TemplateSource(name, origin(structureId), v.version(), v.text()));
    }

    /** The built-in file, whatever the structure overrides. */
    public Optional<TemplateSource> builtin(String name) {
        return builtins.resolve(null, name);
    }

    /** The latest version of every file this structure ever overrode (resets included), by name. */
    public Map<String, TemplateVersion> latest(long structureId) {
        long now = millis.getAsLong();
        Snapshot s = cache.get(structureId);
        if (s == null || now - s.loadedAt() > maxAgeMillis) {
            java.util.concurrent.atomic.AtomicLong counter = saves.computeIfAbsent(structureId, k -> new java.util.concurrent.atomic.AtomicLong());
            long savesBefore = counter.get();
            try (SqlSession session = sessions.openSession(true)) {
                Map<String, TemplateVersion> byName = session.getMapper(TemplateMapper.class).latest(structureId).stream()
                        .collect(Collectors.toUnmodifiableMap(TemplateVersion::name, v -> v));
                s = new Snapshot(byName, now);
            }
            Snapshot read = s;
            // Cached only if no save of this instance happened since the read began (else it may predate
            // it); compute() is atomic with append()'s removal of the entry.
            cache.compute(structureId, (k, old) -> counter.get() == savesBefore ? read : null);
        }
        return s.latest();
    }

    /** Every version of a file, newest first (texts left out). */
    public List<TemplateVersion> history(long structureId, String name) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(TemplateMapper.class).history(structureId, name);
        }
    }

    public Optional<TemplateVersion> version(long structureId, String name, int version) {
        try (SqlSession session = sessions.openSession(true)) {
            return Optional.ofNullable(session.getMapper(TemplateMapper.class).version(structureId, name, version));
        }
    }

    /**
     * Records a new version (a save, a rollback or a reset, whose text is null).
     *
     * @param expectedLatest the version the author started from (0: none yet), or null not to check
     * @return the new version's number
     * @throws ConcurrentEdit when {@code expectedLatest} is no longer the latest version
     */
    public int append(TemplateVersion change, Integer expectedLatest) {
        try (SqlSession session = sessions.openSession(false)) {
            TemplateMapper mapper = session.getMapper(TemplateMapper.class);
            mapper.lock(change.structureId());
            Integer version = mapper.append(change, expectedLatest);
            if (version == null) {
                List<TemplateVersion> history = mapper.history(change.structureId(), change.name());
                session.rollback();
                throw new ConcurrentEdit(change.name(), history.isEmpty() ? 0 : history.get(0).version());
            }
            // Forced: MyBatis counts a <select> (insert … returning) as a read and would not commit it.
            session.commit(true);
            return version;
        } finally {
            saves.computeIfAbsent(change.structureId(), k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            cache.remove(change.structureId());
        }
    }
}
