package fr.publipostage.mailing;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import java.util.Map;

/** Renders the activation or reminder message of one account, in its language (else the structure's). */
public interface MailComposer {
    ComposedMail compose(MailKind kind, Structure structure, Account account);

    /** The version of each template the structure's mails use (recorded on every campaign). */
    Map<String, String> templateVersions(Structure structure);

    /**
     * This composer with the structure's templates pinned to the versions {@link #templateVersions}
     * recorded (a campaign composes every mail with the versions of its start).
     */
    default MailComposer pinned(Structure structure, Map<String, String> versions) {
        return this;
    }
}
