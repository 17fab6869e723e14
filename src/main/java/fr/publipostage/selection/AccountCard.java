package fr.publipostage.selection;

import fr.publipostage.directory.Account;
import java.util.List;

/** One account as its card shows it: the account and its relatives (a parent's children, a pupil's parents) the viewer may see. */
public record AccountCard(Account account, List<Account> relatives) {
}
