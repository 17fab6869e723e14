package fr.publipostage.web;

import fr.publipostage.activation.ActivationFollowUp.Line;
import java.util.List;
import java.util.function.Function;

/**
 * The follow-up page's charts, drawn on the server as inline SVG (no script, no charting library, no
 * front-end build; the page's CSP allows no inline style, so only presentation attributes): one
 * horizontal bar per group, the activated share filled, the figures written beside it. The table
 * under it holds the same figures for screen readers and for sorting; the SVG is one image with a
 * title that says so.
 */
final class ActivationChart {
    private static final int LABEL = 190;
    private static final int BAR = 340;
    private static final int ROW = 26;
    private static final int WIDTH = LABEL + BAR + 150;

    private ActivationChart() {
    }

    /**
     * @param id     the element id (its title is {@code id-title})
     * @param title  the chart's accessible name, plain text
     * @param label  each line's label, plain text
     */
    static String svg(String id, String title, List<Line> lines, Function<Line, String> label, String language) {
        int height = Math.max(1, lines.size()) * ROW + 8;
        StringBuilder s = new StringBuilder(512 + lines.size() * 400);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"activation-chart\" id=\"").append(Html.escape(id))
                .append("\" role=\"img\" aria-labelledby=\"").append(Html.escape(id)).append("-title\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"13\">");
        s.append("<title id=\"").append(Html.escape(id)).append("-title\">").append(Html.escape(title)).append("</title>");
        int y = 4;
        for (Line l : lines) {
            double rate = l.rate();
            int filled = (int) Math.round(BAR * rate / 100.0);
            String text = l.rateText(language) + " % · " + l.activated() + "/" + l.total();
            s.append("<g class=\"bar\" data-name=\"").append(Html.escape(l.name())).append("\">");
            s.append("<text x=\"").append(LABEL - 8).append("\" y=\"").append(y + 17).append("\" text-anchor=\"end\" fill=\"#1b1b1b\">")
                    .append(Html.escape(truncate(label.apply(l)))).append("</text>");
            s.append("<rect x=\"").append(LABEL).append("\" y=\"").append(y + 3).append("\" width=\"").append(BAR)
                    .append("\" height=\"").append(ROW - 8).append("\" fill=\"#e3e3e3\"/>");
            if (filled > 0) {
                s.append("<rect class=\"activated\" x=\"").append(LABEL).append("\" y=\"").append(y + 3).append("\" width=\"")
                        .append(filled).append("\" height=\"").append(ROW - 8).append("\" fill=\"#1e7b34\"/>");
            }
            s.append("<text x=\"").append(LABEL + BAR + 8).append("\" y=\"").append(y + 17).append("\" fill=\"#1b1b1b\">")
                    .append(Html.escape(text)).append("</text>");
            s.append("</g>");
            y += ROW;
        }
        s.append("</svg>");
        return s.toString();
    }

    private static String truncate(String label) {
        return label.length() <= 28 ? label : label.substring(0, 27) + "…";
    }
}
