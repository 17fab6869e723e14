package fr.publipostage.customisation;

import java.util.List;

/** A template text did not pass the checks: nothing was saved. */
public final class TemplateRejected extends RuntimeException {
    private final List<Problem> problems;

    public TemplateRejected(List<Problem> problems) {
        super(problems.size() + " problem(s): " + problems);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
