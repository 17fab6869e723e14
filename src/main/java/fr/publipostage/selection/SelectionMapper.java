package fr.publipostage.selection;

import fr.publipostage.directory.Account;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/** The one selection query, in list, cursor and count forms sharing one WHERE clause. */
public interface SelectionMapper {
    List<Account> select(@Param("s") Selection selection, @Param("scope") Scope scope);

    Cursor<Account> cursor(@Param("s") Selection selection, @Param("scope") Scope scope);

    Counts count(@Param("s") Selection selection, @Param("scope") Scope scope);

    /** Number of selected accounts and how many of them have no personal e-mail. */
    record Counts(int total, int withoutEmail) {
    }
}
