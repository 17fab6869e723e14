package fr.publipostage.directory;

import java.util.List;

/**
 * The file was refused as a whole and nothing was written. Every problem found is listed, up to
 * {@link AccountImporter#MAX_LISTED_PROBLEMS}; {@link #total()} counts them all.
 */
public final class ImportRejected extends Exception {
    private final List<ImportProblem> problems;
    private final long total;

    public ImportRejected(List<ImportProblem> problems) {
        this(problems, problems.size());
    }

    public ImportRejected(List<ImportProblem> problems, long total) {
        super(total + " problem(s) in the import file", null, false, false);
        this.problems = List.copyOf(problems);
        this.total = Math.max(total, problems.size());
    }

    public List<ImportProblem> problems() {
        return problems;
    }

    /** How many problems the file has, listed or not. */
    public long total() {
        return total;
    }
}
