package fr.publipostage.cli;

/** Bad input on the command line: printed as one line, exit code 2. */
public final class CliError extends RuntimeException {
    public CliError(String message) {
        super(message);
    }
}
