package fr.publipostage.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The simple mode's catalog says what the built-in templates do: every text they print is a field,
 * with as many placeholders as the templates pass it, and every field has its label in both languages.
 */
class TextCatalogTest {
    private static final Pattern CALL = Pattern.compile("\\$msg\\.get\\('([A-Za-z0-9.]+)'((?:\\s*,\\s*\\$[A-Za-z.]+)*)\\)");

    @Test
    void everyTextOfTheTemplatesIsAFieldWithTheArgumentsItReceives() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("templates"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".vm")).toList()) {
                Matcher m = CALL.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    String key = m.group(1);
                    int args = m.group(2).isBlank() ? 0 : m.group(2).split(",").length - 1;
                    if (TextCatalog.field(key).isEmpty()) problems.add(f.getFileName() + ": " + key + " is no field");
                    else if (TextCatalog.placeholderCount(key) != args) {
                        problems.add(f.getFileName() + ": " + key + " gets " + args + " argument(s), the catalog says "
                                + TextCatalog.placeholderCount(key));
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyFieldDocumentAndPlaceholderHasItsLabels() {
        Messages messages = new Messages();
        List<String> missing = new ArrayList<>();
        for (TextCatalog.Document d : TextCatalog.DOCUMENTS) {
            List<String> keys = new ArrayList<>(List.of(d.labelKey()));
            for (TextCatalog.Field f : d.fields()) {
                keys.add(f.labelKey());
                keys.add(f.key());
                f.placeholders().forEach(p -> keys.add(p.labelKey()));
            }
            for (String lang : Messages.LANGUAGES) for (String k : keys) if (!messages.has(lang, k)) missing.add(lang + " " + k);
        }
        assertThat(missing).isEmpty();
    }
}
