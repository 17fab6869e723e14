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
}
