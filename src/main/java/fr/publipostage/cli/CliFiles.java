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
     * The file named by {@code --out} (but {@code -}, standard output), checked before the verb opens the
     * database (which logs as it starts, and an export is recorded): a missing folder or a folder given
     * for a file is one line, exit 2, nothing done. A file a verb reads is checked by the verb itself,
     * once the database answers (a database that does not is told first).
     */
    public static Args outputChecked(Args args) {
        String out = args.option("out");
        if (out != null && !out.equals("-")) output(Path.of(out));
        return args;
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
