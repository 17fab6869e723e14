package fr.publipostage.directory;

import java.util.List;

/**
 * One thing wrong with an import file. {@code line} is the physical line (1 = header, 0 = the whole
 * file); {@code reason} is a message key of i18n/messages_*.properties, {@code args} its arguments.
 */
public record ImportProblem(long line, String column, String reason, List<String> args) {

    public static ImportProblem wholeFile(String reason, String... args) {
        return new ImportProblem(0, "", reason, List.of(args));
    }

    public static ImportProblem at(long line, String column, String reason, String... args) {
        return new ImportProblem(line, column, reason, List.of(args));
    }
}
