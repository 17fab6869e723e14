package fr.publipostage.selection;

import fr.publipostage.directory.Profile;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns request parameters or command-line flags (same names: profile, level, class, activation,
 * email, local-admin, created-after, created-before, sort, layout, cover, and the check table's
 * search-last, search-first, search-class, order) into a {@link Selection}. Multi-valued parameters
 * may repeat or be comma-separated. Anything outside its list is refused.
 */
public final class SelectionParser {
    public static final List<String> PARAMETERS = List.of("profile", "level", "class", "activation", "email",
            "local-admin", "created-after", "created-before", "sort", "layout", "cover",
            "search-last", "search-first", "search-class", "order", "campaign", "outcome", "postal", "without-address");
    /** Longest search term accepted in one box. */
    public static final int MAX_SEARCH = 100;

    /**
     * @param knownLevels the levels of the structure, @param knownClasses its class names: the only values accepted
     */
    public Selection parse(long structureId, Map<String, List<String>> params, Set<String> knownLevels,
                           Set<String> knownClasses) {
        Set<Profile> profiles = new LinkedHashSet<>();
        for (String p : values(params, "profile")) {
            profiles.add(Profile.parse(p).orElseThrow(() -> new InvalidSelection("selection.badProfile", "profile", p)));
        }
        Set<String> levels = new LinkedHashSet<>();
        for (String l : values(params, "level")) {
            if (!knownLevels.contains(l)) throw new InvalidSelection("selection.badLevel", "level", l);
            levels.add(l);
        }
        Set<String> classes = new LinkedHashSet<>();
        for (String c : values(params, "class")) {
            if (!knownClasses.contains(c)) throw new InvalidSelection("selection.badClass", "class", c);
            classes.add(c);
        }
        Selection.Activation activation = oneOf(params, "activation", Selection.Activation.class, Selection.Activation.all);
        Selection.EmailFilter email = oneOf(params, "email", Selection.EmailFilter.class, Selection.EmailFilter.all);
        Boolean localAdmin = switch (single(params, "local-admin", "")) {
            case "" -> null;
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new InvalidSelection("selection.badYesNo", "local-admin", single(params, "local-admin", ""));
        };
        LocalDate after = date(params, "created-after");
        LocalDate before = date(params, "created-before");
        if (after != null && before != null && after.isAfter(before)) {
            throw new InvalidSelection("selection.datesReversed", "created-before", before.toString());
        }
        List<Selection.SortKey> sort = new ArrayList<>();
        for (String k : values(params, "sort")) {
            Selection.SortKey key = switch (k) {
                case "profile" -> Selection.SortKey.profile;
                case "class" -> Selection.SortKey.classname;
                default -> throw new InvalidSelection("selection.badSort", "sort", k);
            };
            if (sort.contains(key)) throw new InvalidSelection("selection.badSort", "sort", k);
            sort.add(key);
        }
        if (sort.size() > 2) throw new InvalidSelection("selection.badSort", "sort", String.join(",", values(params, "sort")));
        String layoutText = single(params, "layout", "1");
        int layout = switch (layoutText) {
            case "1", "postal" -> 1;
            case "2" -> 2;
            case "8" -> 8;
            default -> throw new InvalidSelection("selection.badLayout", "layout", layoutText);
        };
        boolean cover = yesNo(params, "cover");
        Selection.PostalFilter postal = oneOf(params, "postal", Selection.PostalFilter.class, Selection.PostalFilter.all);
        Selection.PostalPrint postalPrint = postalPrint(params, layoutText.equals("postal"), cover);
        Selection.Search search = new Selection.Search(searchTerm(params, "search-last"),
                searchTerm(params, "search-first"), searchTerm(params, "search-class"));
        return new Selection(structureId, profiles, levels, classes, activation, email, localAdmin, after, before,
                sort, layout, cover, search, order(params), outcome(params), postal, postalPrint);
    }

    /**
     * {@code campaign=ID} with {@code outcome=unreached} (no address, failed, bounced) or a list of
     * {@code no-address}, {@code failed}, {@code bounced}; one without the other is refused. Whether the
     * campaign is the structure's is checked by {@link SelectionService#parse}.
     */
    private static Selection.CampaignOutcome outcome(Map<String, List<String>> params) {
        String campaign = single(params, "campaign", "");
        List<String> outcomes = values(params, "outcome");
        if (campaign.isEmpty() && outcomes.isEmpty()) return null;
        if (campaign.isEmpty()) throw new InvalidSelection("selection.outcomeWithoutCampaign", "outcome", String.join(",", outcomes));
        long id;
        try {
            id = Long.parseLong(campaign);
        } catch (NumberFormatException e) {
            throw new InvalidSelection("selection.badCampaign", "campaign", campaign);
        }
        if (id <= 0) throw new InvalidSelection("selection.badCampaign", "campaign", campaign);
        if (outcomes.isEmpty()) throw new InvalidSelection("selection.campaignWithoutOutcome", "campaign", campaign);
        Set<Selection.Outcome> kinds = new LinkedHashSet<>();
        for (String o : outcomes) {
            if (o.equals("unreached")) {
                kinds.addAll(Selection.Outcome.UNREACHED);
                continue;
            }
            Selection.Outcome kind = null;
            for (Selection.Outcome k : Selection.Outcome.values()) if (k.parameter.equals(o)) kind = k;
            if (kind == null) throw new InvalidSelection("selection.badOutcome", "outcome", o);
            kinds.add(kind);
        }
        return new Selection.CampaignOutcome(id, kinds);
    }

    private static boolean yesNo(Map<String, List<String>> params, String name) {
        return switch (single(params, name, "false")) {
            case "", "false", "no", "off" -> false;
            case "true", "yes", "on" -> true;
            default -> throw new InvalidSelection("selection.badYesNo", name, single(params, name, ""));
        };
    }

    /**
     * The window-envelope options: only with {@code layout=postal}; no cover sheet (letters go by
     * post, not through the form tutor).
     */
    private static Selection.PostalPrint postalPrint(Map<String, List<String>> params, boolean postal, boolean cover) {
        String without = single(params, "without-address", "");
        if (!postal) {
            if (!without.isEmpty()) throw new InvalidSelection("selection.postalOnly", "without-address", without);
            return null;
        }
        if (cover) throw new InvalidSelection("selection.postalCover", "cover", "yes");
        Selection.PostalPrint.WithoutAddress w = switch (without) {
            case "", "refuse" -> Selection.PostalPrint.WithoutAddress.refuse;
            case "hand" -> Selection.PostalPrint.WithoutAddress.hand;
            default -> throw new InvalidSelection("selection.badWithoutAddress", "without-address", without);
        };
        return new Selection.PostalPrint(w);
    }

    /** A search box's text, taken whole (commas are text here, not separators). */
    private static String searchTerm(Map<String, List<String>> params, String name) {
        List<String> raw = params.getOrDefault(name, List.of()).stream().filter(v -> v != null && !v.isBlank()).toList();
        if (raw.size() > 1) throw new InvalidSelection("selection.oneValue", name, String.join(",", raw));
        if (raw.isEmpty()) return null;
        String term = raw.get(0).strip();
        if (term.length() > MAX_SEARCH || term.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSelection("check.badSearch", name, term.length() > MAX_SEARCH ? term.substring(0, MAX_SEARCH) + "…" : term);
        }
        return term;
    }

    /** {@code order=column} or {@code order=column:asc|desc}, the column among {@link Selection.Column}. */
    private static Selection.Order order(Map<String, List<String>> params) {
        String v = single(params, "order", "");
        if (v.isEmpty()) return null;
        String[] parts = v.split(":", -1);
        if (parts.length > 2) throw new InvalidSelection("check.badOrder", "order", v);
        Selection.Column column = null;
        for (Selection.Column c : Selection.Column.values()) {
            if (c.name().equals(parts[0])) column = c;
        }
        if (column == null) throw new InvalidSelection("check.badOrder", "order", v);
        String direction = parts.length == 2 ? parts[1] : "asc";
        return switch (direction) {
            case "asc" -> new Selection.Order(column, false);
            case "desc" -> new Selection.Order(column, true);
            default -> throw new InvalidSelection("check.badOrder", "order", v);
        };
    }

    /** The values of a parameter, repeated or comma-separated, trimmed, blanks left out. */
    static List<String> values(Map<String, List<String>> params, String name) {
        List<String> raw = params.getOrDefault(name, List.of());
        List<String> out = new ArrayList<>();
        for (String v : raw) {
            if (v == null) continue;
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static String single(Map<String, List<String>> params, String name, String fallback) {
        List<String> v = values(params, name);
        if (v.size() > 1) throw new InvalidSelection("selection.oneValue", name, String.join(",", v));
        return v.isEmpty() ? fallback : v.get(0);
    }

    private static <E extends Enum<E>> E oneOf(Map<String, List<String>> params, String name, Class<E> type, E fallback) {
        String v = single(params, name, "");
        if (v.isEmpty()) return fallback;
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) return e;
        }
        throw new InvalidSelection("selection.bad" + Character.toUpperCase(name.charAt(0)) + name.substring(1), name, v);
    }

    private static LocalDate date(Map<String, List<String>> params, String name) {
        String v = single(params, name, "");
        if (v.isEmpty()) return null;
        try {
            LocalDate date = LocalDate.parse(v);
            // LocalDate takes signed years of up to nine digits; PostgreSQL's dates stop far sooner.
            if (date.getYear() < 1 || date.getYear() > 9999) throw new InvalidSelection("selection.badDate", name, v);
            return date;
        } catch (DateTimeParseException e) {
            throw new InvalidSelection("selection.badDate", name, v);
        }
    }
}
