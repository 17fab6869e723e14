package fr.publipostage.mailing;

import java.util.List;

/**
 * A rendered message: subject, HTML part (through {@link MailHtml}'s allow-list) and plain-text part;
 * {@code removed} lists what the allow-list took out of the template's HTML (the template checks refuse
 * a text that needs it).
 */
public record ComposedMail(String subject, String html, String text, List<MailHtml.Removed> removed) {
    public ComposedMail {
        removed = removed == null ? List.of() : List.copyOf(removed);
    }

    public ComposedMail(String subject, String html, String text) {
        this(subject, html, text, List.of());
    }
}
