package fr.publipostage.directory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems of one import: every one counted, the first {@code max} kept (a huge bad file stays small). */
final class ProblemList {
    private final int max;
    private final List<ImportProblem> kept = new ArrayList<>();
    private long total;

    ProblemList(int max) {
        this.max = max;
    }

    void add(ImportProblem problem) {
        total++;
        if (kept.size() < max) kept.add(problem);
    }

    void addAll(List<ImportProblem> problems, long count) {
        for (ImportProblem p : problems) {
            if (kept.size() < max) kept.add(p);
        }
        total += Math.max(count, problems.size());
    }

    boolean isEmpty() {
        return total == 0;
    }

    long total() {
        return total;
    }

    /** By line, then in the order found (the file's column order for one line). */
    ImportRejected rejected() {
        List<ImportProblem> sorted = new ArrayList<>(kept);
        sorted.sort(Comparator.comparingLong(ImportProblem::line));
        return new ImportRejected(sorted.subList(0, Math.min(max, sorted.size())), total);
    }
}
