package fr.publipostage.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TemplateCatalogTest {
    @Test
    void everyBuiltInFileIsEditableAndEveryEditableFileExists() throws IOException {
        List<String> onDisk;
        try (Stream<Path> files = Files.list(Path.of("templates"))) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")).sorted().toList();
        }
        List<String> catalogued = TemplateCatalog.FILES.stream()
                .filter(e -> e.kind() != TemplateCatalog.Kind.TEXTS).map(TemplateCatalog.Entry::name).sorted().toList();
        assertThat(catalogued).isEqualTo(onDisk);
        assertThat(TemplateCatalog.FILES).filteredOn(e -> e.kind() == TemplateCatalog.Kind.TEXTS)
                .extracting(TemplateCatalog.Entry::language).containsExactlyElementsOf(Messages.LANGUAGES);
        assertThat(TemplateCatalog.FILES).allSatisfy(e -> assertThat(TemplateResolver.isValidName(e.name())).isTrue());
    }

    @Test
    void everyFileAndVariableIsDescribedInBothLanguages() {
        Messages messages = new Messages();
        for (String lang : Messages.LANGUAGES) {
            assertThat(TemplateCatalog.FILES).allSatisfy(e -> assertThat(messages.keys(lang)).contains(e.descriptionKey()));
            assertThat(TemplateCatalog.VARIABLES).allSatisfy(v -> assertThat(messages.keys(lang)).contains(v.descriptionKey()));
        }
    }

    @Test
    void aSchoolsTextsWinAndTakeArguments() {
        Messages messages = new Messages();
        MessagesView own = new MessagesView(messages, java.util.Map.of("letter.greeting", "Salut {0} !"), "fr");
        assertThat(own.get("letter.greeting", "Zoé")).isEqualTo("Salut Zoé !");
        assertThat(own.get("letter.login")).isEqualTo(messages.get("fr", "letter.login"));
        assertThat(MessageOverrides.parse("# c\nletter.greeting = Bonjour {0}\\u00a0!\n"))
                .containsEntry("letter.greeting", "Bonjour {0}\u00a0!");
    }
}
