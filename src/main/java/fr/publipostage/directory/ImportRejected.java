package fr.publipostage.directory;

import java.util.List;

/** The file was refused as a whole and nothing was written; every problem found is listed. */
public final class ImportRejected extends Exception {
    private final List<ImportProblem> problems;

    public ImportRejected(List<ImportProblem> problems) {
        super(problems.size() + " problem(s) in the import file");
        this.problems = List.copyOf(problems);
    }

    public List<ImportProblem> problems() {
        return problems;
    }
}
