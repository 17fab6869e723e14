package fr.publipostage.selection;

import fr.publipostage.directory.Profile;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the admin chose in steps 1 and 2: one structure, filters, sort, the check table's column
 * search and column order, and the print layout. The same value drives the check table, the CSV,
 * the PDF and the e-mails (one query: SelectionMapper.xml). Empty sets and null values mean
 * "everyone". Built only through {@link SelectionParser}, so every value has been checked against a
 * fixed list before it reaches SQL; {@link #toParameters()} gives the parameters back.
 */
public record Selection(long structureId, Set<Profile> profiles, Set<String> levels, Set<String> classes,
                        Activation activation, EmailFilter email, Boolean localAdmin,
                        LocalDate createdAfter, LocalDate createdBefore, List<SortKey> sort,
                        int layout, boolean cover, Search search, Order order, CampaignOutcome outcome,
                        PostalFilter postal, PostalPrint postalPrint) {

    public enum Activation { pending, activated, all }

    public enum EmailFilter { with, without, all }

    /** Accounts with a postal address (a city), without one, or both. */
    public enum PostalFilter { with, without, all }

    /**
     * The window-envelope layout ({@code layout=postal}): layout 1's letter with the postal address in
     * the envelope's window. {@code withoutAddress} says what happens to selected accounts without an
     * address: the print is refused with their list, or their letters come last, in a part "to hand
     * over in person" — never left out silently.
     */
    public record PostalPrint(WithoutAddress withoutAddress) {
        public static final PostalPrint DEFAULT = new PostalPrint(WithoutAddress.refuse);

        public enum WithoutAddress { refuse, hand }
    }

    /** Sort keys the admin may choose; last name and first name always follow. */
    public enum SortKey { profile, classname }

    /** The check table's columns, in the table's order; each may be used to order the list. */
    public enum Column { lastName, firstName, profile, login, activationCode, email, classes, createdAt }

    /** Ordering by one column of the check table; it comes before the sort keys. */
    public record Order(Column column, boolean descending) {
        public String parameter() {
            return column.name() + (descending ? ":desc" : ":asc");
        }
    }

    /**
     * The check table's search boxes: case- and accent-insensitive "contains" on last name, first
     * name and class name (a parent matches his children's classes). Null or blank = no search.
     */
    public record Search(String lastName, String firstName, String className) {
        public static final Search NONE = new Search(null, null, null);

        public Search {
            lastName = blankToNull(lastName);
            firstName = blankToNull(firstName);
            className = blankToNull(className);
        }

        public boolean isEmpty() {
            return lastName == null && firstName == null && className == null;
        }

        /** LIKE-escaped term (used by the mapper with {@code escape '\'}). */
        public String lastNameLike() {
            return like(lastName);
        }

        public String firstNameLike() {
            return like(firstName);
        }

        public String classNameLike() {
            return like(className);
        }

        private static String like(String term) {
            if (term == null) return null;
            return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    /** What a campaign's ledger says of an account: no address (skipped), failed, bounced. */
    public enum Outcome {
        noAddress("no-address"), failed("failed"), bounced("bounced");

        /** The parameter's value ({@code outcome=no-address,failed}). */
        public final String parameter;

        Outcome(String parameter) {
            this.parameter = parameter;
        }

        /** {@code unreached}: everyone the campaign did not reach, who still needs a letter. */
        public static final Set<Outcome> UNREACHED = Set.of(noAddress, failed, bounced);
    }

    /**
     * "Who still needs a letter": only the accounts whose row in this campaign's ledger has one of these
     * outcomes (issue 16 §2). A filter like the others: the check step shows it, the viewer's scope applies.
     */
    public record CampaignOutcome(long campaignId, Set<Outcome> outcomes) {
        public CampaignOutcome {
            outcomes = Set.copyOf(outcomes);
            if (outcomes.isEmpty()) throw new IllegalArgumentException("no outcome");
        }

        // For the mapper's tests.
        public boolean noAddress() {
            return outcomes.contains(Outcome.noAddress);
        }

        public boolean failed() {
            return outcomes.contains(Outcome.failed);
        }

        public boolean bounced() {
            return outcomes.contains(Outcome.bounced);
        }

        /** The parameter value: {@code unreached} for the three, else the list. */
        public String parameter() {
            if (outcomes.equals(Outcome.UNREACHED)) return "unreached";
            return outcomes.stream().sorted().map(o -> o.parameter).collect(java.util.stream.Collectors.joining(","));
        }
    }

    public Selection {
        postal = postal == null ? PostalFilter.all : postal;
        profiles = Set.copyOf(profiles);
        levels = Set.copyOf(levels);
        classes = Set.copyOf(classes);
        sort = List.copyOf(sort);
        search = search == null ? Search.NONE : search;
    }


    /** Filters, sort and layout without search or column order (the step-1 selection). */
    public Selection(long structureId, Set<Profile> profiles, Set<String> levels, Set<String> classes,
                     Activation activation, EmailFilter email, Boolean localAdmin,
                     LocalDate createdAfter, LocalDate createdBefore, List<SortKey> sort, int layout, boolean cover) {
        this(structureId, profiles, levels, classes, activation, email, localAdmin, createdAfter, createdBefore,
                sort, layout, cover, Search.NONE, null, null, PostalFilter.all, null);
    }

    /** Filters, sort, layout, search and column order, without a campaign outcome, the postal filter or layout. */
    public Selection(long structureId, Set<Profile> profiles, Set<String> levels, Set<String> classes,
                     Activation activation, EmailFilter email, Boolean localAdmin,
                     LocalDate createdAfter, LocalDate createdBefore, List<SortKey> sort, int layout, boolean cover,
                     Search search, Order order) {
        this(structureId, profiles, levels, classes, activation, email, localAdmin, createdAfter, createdBefore,
                sort, layout, cover, search, order, null, PostalFilter.all, null);
    }

    /** True for the window-envelope layout (layout 1's page with the postal address in the window). */
    public boolean postalLayout() {
        return postalPrint != null;
    }

    /** The same selection ordered by another column of the check table (null: by its sort keys only). */
    public Selection withOrder(Order newOrder) {
        return new Selection(structureId, profiles, levels, classes, activation, email, localAdmin, createdAfter,
                createdBefore, sort, layout, cover, search, newOrder, outcome, postal, postalPrint);
    }

    /** The same selection with another postal filter (the postal print's two parts). */
    public Selection withPostal(PostalFilter filter) {
        return new Selection(structureId, profiles, levels, classes, activation, email, localAdmin, createdAfter,
                createdBefore, sort, layout, cover, search, order, outcome, filter, postalPrint);
    }

    /** The same accounts printed with another layout (1, 2, 8) and no cover sheet; {@code postal}: the window envelope. */
    public Selection withLayout(int newLayout, PostalPrint postal) {
        return new Selection(structureId, profiles, levels, classes, activation, email, localAdmin, createdAfter,
                createdBefore, sort, newLayout, false, search, order, outcome, this.postal, postal);
    }

    public static Selection everyone(long structureId) {
        return new Selection(structureId, Set.of(), Set.of(), Set.of(), Activation.all, EmailFilter.all, null,
                null, null, List.of(), 1, false);
    }

    /** True when the accounts come grouped by class (class cover sheets make sense). */
    public boolean sortedByClass() {
        if (order != null) return order.column() == Column.classes;
        return !sort.isEmpty() && sort.get(0) == SortKey.classname;
    }

    /**
     * The request parameters that {@link SelectionParser} turns back into this selection (same
     * names as the HTTP API and the command line); only non-default values. Used for audit events
     * and to hand a selection to background work.
     */
    public Map<String, List<String>> toParameters() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        if (!profiles.isEmpty()) p.put("profile", profiles.stream().map(Enum::name).sorted().toList());
        if (!levels.isEmpty()) p.put("level", levels.stream().sorted().toList());
        if (!classes.isEmpty()) p.put("class", classes.stream().sorted().toList());
        if (activation != Activation.all) p.put("activation", List.of(activation.name()));
        if (email != EmailFilter.all) p.put("email", List.of(email.name()));
        if (localAdmin != null) p.put("local-admin", List.of(localAdmin ? "yes" : "no"));
        if (createdAfter != null) p.put("created-after", List.of(createdAfter.toString()));
        if (createdBefore != null) p.put("created-before", List.of(createdBefore.toString()));
        if (!sort.isEmpty()) {
            List<String> keys = new ArrayList<>();
            for (SortKey k : sort) keys.add(k == SortKey.classname ? "class" : k.name());
            p.put("sort", keys);
        }
        if (postal != PostalFilter.all) p.put("postal", List.of(postal.name()));
        if (postalPrint != null) {
            p.put("layout", List.of("postal"));
            if (postalPrint.withoutAddress() != PostalPrint.WithoutAddress.refuse) {
                p.put("without-address", List.of(postalPrint.withoutAddress().name()));
            }
        } else if (layout != 1) {
            p.put("layout", List.of(String.valueOf(layout)));
        }
        if (cover) p.put("cover", List.of("yes"));
        if (search.lastName() != null) p.put("search-last", List.of(search.lastName()));
        if (search.firstName() != null) p.put("search-first", List.of(search.firstName()));
        if (search.className() != null) p.put("search-class", List.of(search.className()));
        if (order != null) p.put("order", List.of(order.parameter()));
        if (outcome != null) {
            p.put("campaign", List.of(String.valueOf(outcome.campaignId())));
            p.put("outcome", List.of(outcome.parameter()));
        }
        return p;
    }
}
