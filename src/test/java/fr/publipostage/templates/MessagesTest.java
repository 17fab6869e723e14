package fr.publipostage.templates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessagesTest {
    private final Messages messages = new Messages();

    @Test
    void everyKeyExistsInFrenchAndEnglish() {
        assertThat(messages.keys("en")).containsExactlyInAnyOrderElementsOf(messages.keys("fr"));
    }

    @Test
    void replacesPlaceholdersAndKeepsFrenchApostrophes() {
        assertThat(messages.get("fr", "import.duplicateLogin", "x", 3)).isEqualTo("identifiant « x » en double (déjà ligne 3)");
        assertThat(messages.get("fr", "import.otherStructure", "A", "B")).contains("l’établissement A");
        assertThat(messages.get("de", "health.up")).as("unknown language falls back to French").isEqualTo("disponible");
    }

    @Test
    void anArgumentIsPutInOnceNeverFilledInItself() {
        // One pass: what an argument brings is text, not placeholders (a template's value "{1}" stays).
        assertThat(Messages.fill("{0} et {1}", "{1}", "b")).isEqualTo("{1} et b");
        assertThat(Messages.fill("{0}{0}{2}", "a")).isEqualTo("aa{2}");
        assertThat(Messages.fill("{ {0} }{", "x")).isEqualTo("{ x }{");
    }
}
