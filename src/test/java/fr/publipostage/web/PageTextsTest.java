package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.templates.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No text is written in a page or a script: views take every visible text from the i18n bundles
 * ($t.get), scripts through t(); every key they use exists in French and in English.
 */
class PageTextsTest {
    private static final Path VIEWS = Path.of("src/main/resources/web/views");
    private static final Path ASSETS = Path.of("src/main/resources/web/assets");
    private static final Pattern T_CALL = Pattern.compile("\\$t\\.get\\((?:[^()]|\\([^()]*\\))*\\)");
    private static final Pattern LETTER = Pattern.compile("\\p{L}");
    private final Messages messages = new Messages();

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void everyKeyHasAFrenchAndAnEnglishText() {
        assertThat(messages.keys("en")).containsExactlyInAnyOrderElementsOf(messages.keys("fr"));
        for (String lang : Messages.LANGUAGES) {
            for (String key : messages.keys(lang)) {
                assertThat(messages.get(lang, key)).as(lang + " " + key).isNotBlank();
            }
        }
    }

    @Test
    void viewsHaveNoHardCodedText() throws IOException {
        List<Path> views = files(VIEWS, ".vm");
        assertThat(views).extracting(p -> p.getFileName().toString()).contains("app.vm", "login.vm", "password.vm", "totp.vm");
        List<String> problems = new ArrayList<>();
        for (Path view : views) {
            String source = Files.readString(view, StandardCharsets.UTF_8);
            // Attributes a screen reader or a tooltip shows must come from the bundles too.
            Matcher attrs = Pattern.compile("(aria-label|title|placeholder|alt|value)=\"([^\"]*)\"").matcher(source);
            while (attrs.find()) {
                String rest = stripVelocity(attrs.group(2));
                if (attrs.group(1).equals("value")) continue;  // form values are data, not text
                if (LETTER.matcher(rest).find()) problems.add(view.getFileName() + ": " + attrs.group(0));
            }
            String text = stripVelocity(source)
                    .replaceAll("(?s)<!--.*?-->", "")
                    .replaceAll("(?s)<[^>]*>", " ");
            for (String line : text.split("\n")) {
                if (LETTER.matcher(line).find()) problems.add(view.getFileName() + ": " + line.strip());
            }
        }
        assertThat(problems).as("text written in a view instead of i18n/messages_*.properties").isEmpty();
    }

    /** Removes Velocity comments, directives, $t.get(…) calls and other references. */
    private static String stripVelocity(String s) {
        String out = s.replaceAll("(?s)#\\*.*?\\*#", "").replaceAll("(?m)##.*$", "");
        out = T_CALL.matcher(out).replaceAll("");
        out = out.replaceAll("#(if|elseif|foreach|set|parse)\\((?:[^()]|\\([^()]*\\))*\\)", "")
                .replaceAll("#(end|else)\\b", "");
        out = out.replaceAll("\\$!?\\{?[a-zA-Z][\\w]*(\\.[a-zA-Z]\\w*(\\((?:[^()]|\\([^()]*\\))*\\))?)*\\}?", "");
        return out;
    }

    @Test
    void everyKeyAViewUsesExists() throws IOException {
        Set<String> missing = new TreeSet<>();
        for (Path view : files(VIEWS, ".vm")) {
            String source = Files.readString(view, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\\$t\\.get\\(['\"]([^'\"$]+)['\"]").matcher(source);
            while (m.find()) {
                for (String lang : Messages.LANGUAGES) if (!messages.keys(lang).contains(m.group(1))) missing.add(lang + " " + m.group(1));
            }
            // Keys built in a loop: "ui.profile.$p" over the list written in the #foreach.
            Matcher loop = Pattern.compile("#foreach\\(\\$(\\w+) in \\[([^]]*)]\\)(?s)(.*?)#end").matcher(source);
            while (loop.find()) {
                Matcher key = Pattern.compile("\\$t\\.get\\(\"([^\"]*)\\$" + loop.group(1) + "\"").matcher(loop.group(3));
                while (key.find()) {
                    for (String item : loop.group(2).split(",")) {
                        String k = key.group(1) + item.strip().replace("'", "");
                        for (String lang : Messages.LANGUAGES) if (!messages.keys(lang).contains(k)) missing.add(lang + " " + k);
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void scriptsTakeTheirTextsFromTheBundles() throws IOException {
        Set<String> missing = new TreeSet<>();
        List<String> prose = new ArrayList<>();
        Set<String> technical = new TreeSet<>(Set.of("Accept", "Content-Type", "Content-Disposition", "X-CSRF-Token", "POST"));
        for (fr.publipostage.directory.Profile p : fr.publipostage.directory.Profile.values()) technical.add(p.name());
        for (Path script : files(ASSETS, ".js")) {
            String source = Files.readString(script, StandardCharsets.UTF_8).replaceAll("(?m)^\\s*//.*$", "")
                    .replaceAll("(?s)/\\*.*?\\*/", "");
            Matcher keys = Pattern.compile("\\bt\\('([^']+)'").matcher(source);
            while (keys.find()) {
                String k = keys.group(1);
                assertThat(Views.SCRIPT_PREFIXES.stream().anyMatch(k::startsWith)).as("key " + k + " is sent to the scripts").isTrue();
                for (String lang : Messages.LANGUAGES) if (!messages.keys(lang).contains(k)) missing.add(lang + " " + k);
            }
            Matcher literals = Pattern.compile("'((?:[^'\\\\\\n]|\\\\.)*)'|\"((?:[^\"\\\\\\n]|\\\\.)*)\"|`([^`]*)`").matcher(source);
            while (literals.find()) {
                String lit = literals.group(1) != null ? literals.group(1) : literals.group(2) != null ? literals.group(2) : literals.group(3);
                if (technical.contains(lit)) continue;
                boolean accented = lit.codePoints().anyMatch(c -> Character.isLetter(c) && c > 127);
                boolean sentence = (Pattern.compile("\\b[A-Z][a-z]+\\s+[a-z]{2,}\\b").matcher(lit).find()
                        || lit.matches("[a-z]+( [a-z]+){2,}")) && !lit.contains("[") && !lit.contains("=");
                boolean word = lit.matches("[A-Z][a-z]+");
                if (accented || sentence || word) prose.add(script.getFileName() + ": " + lit);
            }
        }
        assertThat(missing).isEmpty();
        assertThat(prose).as("text written in a script instead of i18n/messages_*.properties").isEmpty();
    }
}
