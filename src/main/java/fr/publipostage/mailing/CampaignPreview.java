package fr.publipostage.mailing;

import fr.publipostage.directory.Account;
import java.util.List;

/**
 * The confirmation before sending: how many accounts are selected, how many will get a mail, and who
 * will not (no personal address: they need a printed letter; blocked accounts get nothing).
 * {@code withoutAddress} and {@code blocked} are in the check step's order.
 */
public record CampaignPreview(int selected, int toMail, int activations, int reminders,
                              List<Account> withoutAddress, List<Account> blocked, boolean sandbox) {
    public CampaignPreview {
        withoutAddress = List.copyOf(withoutAddress);
        blocked = List.copyOf(blocked);
    }
}
