package fr.publipostage.web;

import fr.publipostage.customisation.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where in the edited text a refused template's problem is, for the editor's cursor. A stop-gap
 * until {@code TemplateChecks} sets the position itself: Velocity's own errors (syntax, unknown
 * variable) carry it only in their message ({@code file[line L, column C]}), and an XHTML error
 * is located in the rendered page, so it is mapped back to the one line of the edited text that
 * reads as the page's line the parser stopped at. A position in another file of the set stays 0.
 */
final class ProblemPositions {
    /** Internal resource paths of the resolver ({@code 12/v0/print-header.vm}): the admin knows the file name only. */
    private static final Pattern RESOURCE_PREFIX = Pattern.compile("(?<=[\\s\"'(])\\d+/v\\d+/");

    private ProblemPositions() {
    }

    /** A problem to show: its message (already localised), line and column in {@code text} of {@code file}. */
    record Located(String message, int line, int column) {
    }

    static Located locate(Problem p, String message, String file, String text) {
        String shown = RESOURCE_PREFIX.matcher(message).replaceAll("");
        if (p.line() > 0 && !p.key().equals("editor.check.xhtml")) return new Located(shown, p.line(), p.column());
        if (file == null || text == null) return new Located(shown, 0, 0);
        if (p.key().equals("editor.check.template")) {
            Matcher m = Pattern.compile("(?:^|[\\s/\"'])" + Pattern.quote(file) + "\\[line (\\d+), column (\\d+)]").matcher(message);
            if (m.find()) return new Located(shown, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        if (p.key().equals("editor.check.xhtml") && p.args().size() > 1) {
            String excerpt = String.valueOf(p.args().get(1)).strip();
            List<Integer> lines = new ArrayList<>();
            String[] all = text.split("\n", -1);
            for (int i = 0; i < all.length; i++) if (!excerpt.isEmpty() && all[i].strip().equals(excerpt)) lines.add(i);
            if (lines.size() == 1) {
                int i = lines.get(0);
                return new Located(shown, i + 1, all[i].indexOf(excerpt) + 1);
            }
        }
        return new Located(shown, 0, 0);
    }
}
