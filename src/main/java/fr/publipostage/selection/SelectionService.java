package fr.publipostage.selection;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.SchoolClass;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/** Runs the one selection query; everything that outputs accounts goes through here. */
public final class SelectionService {
    /** Largest window of the check table served at once. */
    public static final int MAX_PAGE = 500;

    private final SqlSessionFactory sessions;
    private final SelectionParser parser;

    public SelectionService(SqlSessionFactory sessions, SelectionParser parser) {
        this.sessions = sessions;
        this.parser = parser;
    }

    /**
     * Parses parameters against the structure's own levels and classes; a campaign outcome must name a
     * campaign of this structure (another school's campaign is refused as unknown).
     */
    public Selection parse(long structureId, Map<String, List<String>> params) {
        return parse(structureId, params, false);
    }

    /**
     * A selection checked when it was asked (a print job's, read again to run it or to name its file):
     * the levels and classes it names are taken even if an import has removed them since — they then
     * match nobody, rather than failing the print or its download. Everything else is checked as above.
     */
    public Selection parseSaved(long structureId, Map<String, List<String>> params) {
        return parse(structureId, params, true);
    }

    private Selection parse(long structureId, Map<String, List<String>> params, boolean saved) {
        Set<String> levels;
        Set<String> classes = new HashSet<>();
        try (SqlSession session = sessions.openSession(true)) {
            DirectoryMapper directory = session.getMapper(DirectoryMapper.class);
            levels = new HashSet<>(directory.listLevels(structureId));
            for (SchoolClass c : directory.listClasses(structureId)) classes.add(c.name());
            if (saved) {
                levels.addAll(SelectionParser.values(params, "level"));
                classes.addAll(SelectionParser.values(params, "class"));
            }
            Selection selection = parser.parse(structureId, params, levels, classes);
            if (selection.outcome() != null) {
                Long owner = session.getMapper(SelectionMapper.class).campaignStructure(selection.outcome().campaignId());
                if (owner == null || owner != structureId) {
                    throw new InvalidSelection("selection.badCampaign", "campaign", String.valueOf(selection.outcome().campaignId()));
                }
            }
            return selection;
        }
    }

    /** The levels offered in step 1: the structure's, or those of a class teacher's classes. */
    public List<String> levels(long structureId, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            DirectoryMapper directory = session.getMapper(DirectoryMapper.class);
            if (scope.onlyClassIds() == null) return directory.listLevels(structureId);
            return directory.listClasses(structureId).stream().filter(c -> scope.onlyClassIds().contains(c.id()))
                    .map(SchoolClass::level).filter(java.util.Objects::nonNull).distinct()
                    .sorted(fr.publipostage.directory.SchoolOrder.LEVELS).toList();
        }
    }

    /**
     * The classes offered in step 1: those of the chosen levels (all when none is chosen), only a
     * class teacher's own classes for him. Unknown levels are refused like in {@link #parse}.
     */
    public List<SchoolClass> classes(long structureId, List<String> levels, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            DirectoryMapper directory = session.getMapper(DirectoryMapper.class);
            Set<String> known = new HashSet<>(directory.listLevels(structureId));
            for (String level : levels) {
                if (!known.contains(level)) throw new InvalidSelection("selection.badLevel", "level", level);
            }
            return directory.listClasses(structureId).stream()
                    .filter(c -> levels.isEmpty() || levels.contains(c.level()))
                    .filter(c -> scope.onlyClassIds() == null || scope.onlyClassIds().contains(c.id()))
                    .toList();
        }
    }

    public List<Account> list(Selection selection, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(SelectionMapper.class).select(selection, scope);
        }
    }

    /** One window of {@link #list}, same order: rows offset … offset+limit-1 (limit at most {@link #MAX_PAGE}). */
    public List<Account> page(Selection selection, Scope scope, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("window " + offset + "+" + limit);
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(SelectionMapper.class).page(selection, scope, offset, limit);
        }
    }

    public SelectionMapper.Counts count(Selection selection, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(SelectionMapper.class).count(selection, scope);
        }
    }

    /** How many selected accounts each first class holds (accounts without a class: one group). */
    public List<Integer> classGroupSizes(Selection selection, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(SelectionMapper.class).classGroupSizes(selection, scope);
        }
    }

    /** Streams the accounts in order without holding them all in memory (PDF, CSV of any size). */
    public void forEach(Selection selection, Scope scope, Consumer<Account> action) {
        try (SqlSession session = sessions.openSession(false);
             Cursor<Account> cursor = session.getMapper(SelectionMapper.class).cursor(selection, scope)) {
            cursor.forEach(action);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One account of the structure as the selection query gives it (the same query, restricted to
     * this id), empty when it is not in the structure or not visible in the scope.
     */
    public Optional<Account> account(long structureId, long accountId, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            List<Account> found = session.getMapper(SelectionMapper.class)
                    .byIds(Selection.everyone(structureId), scope, List.of(accountId));
            return found.stream().findFirst();
        }
    }

    /**
     * The card of one account of the structure, empty when the account is not in the structure or
     * not visible in the scope (a local admin asking for a super admin's account, a class teacher
     * for a pupil of another class): the caller answers 404 either way.
     */
    public Optional<AccountCard> card(long structureId, long accountId, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            SelectionMapper mapper = session.getMapper(SelectionMapper.class);
            Selection everyone = Selection.everyone(structureId);
            List<Account> found = mapper.byIds(everyone, scope, List.of(accountId));
            if (found.isEmpty()) return Optional.empty();
            List<Long> relativeIds = mapper.relativeIds(accountId);
            List<Account> relatives = relativeIds.isEmpty() ? List.of() : mapper.byIds(everyone, scope, relativeIds);
            return Optional.of(new AccountCard(found.get(0), relatives));
        }
    }
}
