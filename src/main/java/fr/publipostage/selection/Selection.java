package fr.publipostage.selection;

import fr.publipostage.directory.Profile;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * What the admin chose in step 1: one structure, filters, sort and print layout. The same value
 * drives the check table, the CSV, the PDF and the e-mails (one query: SelectionMapper.xml).
 * Empty sets and null values mean "everyone". Built only through {@link SelectionParser}, so every
 * value has been checked against a fixed list before it reaches SQL.
 */
public record Selection(long structureId, Set<Profile> profiles, Set<String> levels, Set<String> classes,
                        Activation activation, EmailFilter email, Boolean localAdmin,
                        LocalDate createdAfter, LocalDate createdBefore, List<SortKey> sort,
                        int layout, boolean cover) {

    public enum Activation { pending, activated, all }

    public enum EmailFilter { with, without, all }

    /** Sort keys the admin may choose; last name and first name always follow. */
    public enum SortKey { profile, classname }

    public Selection {
        profiles = Set.copyOf(profiles);
        levels = Set.copyOf(levels);
        classes = Set.copyOf(classes);
        sort = List.copyOf(sort);
    }

    public static Selection everyone(long structureId) {
        return new Selection(structureId, Set.of(), Set.of(), Set.of(), Activation.all, EmailFilter.all, null,
                null, null, List.of(), 1, false);
    }

    public boolean sortedByClass() {
        return !sort.isEmpty() && sort.get(0) == SortKey.classname;
    }
}
