package fr.publipostage.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files named on the command line, checked before anything is read or written: a folder that does not
 * exist, a folder given for a file, a file that cannot be read is one sentence and exit code 2, never
 * the Java exception of the temporary file the verb would have opened.
 */
public final class CliFiles {
    private CliFiles() {
    }

    /**
     * The file a verb writes, checked before it opens the database (which logs as it starts, and an
     * export is recorded): a missing folder or a folder given for a file is one line, exit 2, nothing
     * done. A file it reads is checked by the verb itself, once the database answers (a database that
     * does not is told first, as before).
     */
    public static void checkBeforeStart(String verb, java.util.List<String> words) {
        switch (verb) {
            case "export", "letters" -> {
                String out = new Args(words, verb.equals("letters") ? java.util.Set.of("cover", "pdfa") : java.util.Set.of())
                        .option("out");
                if (out != null && !out.equals("-")) output(Path.of(out));
            }
            default -> {
            }
        }
    }

    /** A file the verb will write (through {@code NAME.part}, renamed at the end): its folder must exist. */
    static Path output(Path file) {
        Path absolute = file.toAbsolutePath();
        Path folder = absolute.getParent();
        if (folder == null || !Files.isDirectory(folder)) throw CliError.of("cli.error.noFolder", folder == null ? file : folder);
        if (Files.isDirectory(absolute)) throw CliError.of("cli.error.isFolder", file);
        if (!Files.isWritable(folder)) throw CliError.of("cli.error.notWritable", folder);
        return file;
    }

    /** A file the verb will read: it must be a readable file, not a folder. */
    static Path input(Path file) {
        if (!Files.exists(file)) throw CliError.of("cli.error.fileNotFound", file);
        if (Files.isDirectory(file)) throw CliError.of("cli.error.isFolder", file);
        if (!Files.isReadable(file)) throw CliError.of("cli.error.notReadable", file);
        return file;
    }
}
