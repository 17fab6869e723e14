package fr.publipostage.web;

import fr.publipostage.customisation.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Where in the edited text a refused template's problem is, for the editor's cursor. A template
 * error ({@code template.error.*}: file, line, column, detail) is placed only when it is in the file
 * being edited (an error in another file of the set names that file in its message). An XHTML error
 * is located in the rendered page, so it is mapped back to the one line of the edited text that
 * reads as the page's line the parser stopped at (none, or several: no position).
 */
final class ProblemPositions {
    private ProblemPositions() {
    }

    /** A problem's line and column in {@code text} of {@code file}; 0 when unknown. */
    record Located(int line, int column) {
    }

    static Located locate(Problem p, String file, String text) {
        if (p.key().startsWith("template.error.")) {
            boolean here = !p.args().isEmpty() && String.valueOf(p.args().get(0)).equals(file);
            return here ? new Located(p.line(), p.column()) : new Located(0, 0);
        }
        if (p.key().equals("editor.check.xhtml")) {
            if (text == null || p.args().size() < 2) return new Located(0, 0);
            String excerpt = String.valueOf(p.args().get(1)).strip();
            List<Integer> lines = new ArrayList<>();
            String[] all = text.split("\n", -1);
            for (int i = 0; i < all.length; i++) if (!excerpt.isEmpty() && all[i].strip().equals(excerpt)) lines.add(i);
            if (lines.size() != 1) return new Located(0, 0);
            int i = lines.get(0);
            return new Located(i + 1, all[i].indexOf(excerpt) + 1);
        }
        return new Located(p.line(), p.column());
    }
}
