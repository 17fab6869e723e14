package fr.publipostage.customisation;

import fr.publipostage.letters.LetterEngine;
import fr.publipostage.mailing.MailComposer;
import fr.publipostage.templates.TemplateResolver;

/**
 * The letter engine and mail composer of the application, rendering through one template set.
 * The editor previews and checks a text not saved yet through the very code that prints and sends.
 */
public record Rendering(LetterEngine letters, MailComposer mails) {
    /** Builds the renderers of a template set (App wires it: a Velocity engine of its own per set). */
    @FunctionalInterface
    public interface Factory {
        Rendering through(TemplateResolver templates);
    }
}
