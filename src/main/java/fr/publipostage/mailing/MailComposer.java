package fr.publipostage.mailing;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import java.util.Map;

/** Renders the activation or reminder message of one account, in its language (else the structure's). */
public interface MailComposer {
    ComposedMail compose(MailKind kind, Structure structure, Account account);

    /** The version of each template the structure's mails use (recorded on every campaign). */
    Map<String, String> templateVersions(Structure structure);
}
