package fr.publipostage.mailing;

import fr.publipostage.directory.Account;

/** The two messages: activation (code still pending) or reminder (account already activated). */
public enum MailKind {
    activation, reminder;

    public static MailKind of(Account account) {
        return account.activated() ? reminder : activation;
    }
}
