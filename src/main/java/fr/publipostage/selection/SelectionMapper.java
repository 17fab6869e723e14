package fr.publipostage.selection;

import fr.publipostage.directory.Account;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/** The one selection query, in list, window, cursor and count forms sharing one WHERE clause and one ORDER BY. */
public interface SelectionMapper {
    List<Account> select(@Param("s") Selection selection, @Param("scope") Scope scope);

    List<Account> page(@Param("s") Selection selection, @Param("scope") Scope scope,
                       @Param("offset") int offset, @Param("limit") int limit);

    Cursor<Account> cursor(@Param("s") Selection selection, @Param("scope") Scope scope);

    Counts count(@Param("s") Selection selection, @Param("scope") Scope scope);

    /** How many selected accounts fall under each first class (sort_class; no class is one group), in no order. */
    List<Integer> classGroupSizes(@Param("s") Selection selection, @Param("scope") Scope scope);

    /** The given accounts that the selection and scope allow (the selection is usually everyone of a structure). */
    List<Account> byIds(@Param("s") Selection selection, @Param("scope") Scope scope, @Param("ids") Collection<Long> ids);

    List<Long> relativeIds(@Param("accountId") long accountId);

    /** The structure of a campaign (a campaign outcome must be one of the selection's structure), or null. */
    Long campaignStructure(@Param("campaignId") long campaignId);

    /** Number of selected accounts, how many of them have no personal e-mail, and how many no postal address. */
    record Counts(int total, int withoutEmail, int withoutPostal) {
    }
}
