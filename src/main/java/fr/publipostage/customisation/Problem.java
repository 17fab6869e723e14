package fr.publipostage.customisation;

import java.util.List;

/**
 * One reason a template text was refused, to be shown in the admin's language:
 * {@code messages.get(language, key, args)}.
 *
 * @param line   1-based line in the edited text (or in the rendered page for XHTML errors, see the key), 0 if unknown
 * @param column 1-based column, 0 if unknown
 */
public record Problem(String key, List<Object> args, int line, int column) {
    public Problem {
        args = List.copyOf(args);
    }

    public static Problem of(String key, Object... args) {
        return new Problem(key, List.of(args), 0, 0);
    }
}
