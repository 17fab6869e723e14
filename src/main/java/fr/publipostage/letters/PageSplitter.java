package fr.publipostage.letters;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Cuts a document of independent pages (mail merge: one element per letter, a forced page break
 * between them) into parts that can be rendered in parallel and concatenated: the same pages,
 * faster on several cores. Only when it is safe: the body's element children end with a forced
 * page break (a class whose rule says {@code page-break-after: always} or {@code break-after: page}),
 * and nothing depends on the whole document (page counters, {@code @page :first}, running elements,
 * internal links). Otherwise the document stays whole.
 */
final class PageSplitter {
    private static final Pattern RULE = Pattern.compile("([^{}]+)\\{([^}]*)\\}");
    private static final Pattern BREAK_AFTER = Pattern.compile(
            "(page-break-after\\s*:\\s*always|break-after\\s*:\\s*page)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIMPLE_CLASS = Pattern.compile("\\s*\\.([A-Za-z0-9_-]+)\\s*");

    private PageSplitter() {
    }

    /**
     * Up to {@code parts} documents of consecutive pages, or the document itself when it cannot be cut.
     * Each part is built when asked for, so that the first ones render while the next are built: ask
     * for them in order, on one thread; building a part moves its pages out of {@code dom}.
     */
    static List<Supplier<Document>> split(Document dom, int parts, int minPagesPerPart) {
        List<Supplier<Document>> whole = List.of(() -> dom);
        if (parts < 2) return whole;
        String css = styles(dom);
        String lower = css.toLowerCase(Locale.ROOT);
        if (lower.contains("counter(page") || lower.contains(":first") || lower.contains("running(")
                || lower.contains("target-counter") || lower.contains("@import")) {
            return whole;
        }
        List<Set<String>> undone = new ArrayList<>();
        Set<String> breakingClasses = breakingClasses(css, undone);
        if (breakingClasses == null || breakingClasses.isEmpty()) return whole;
        Element body = body(dom);
        if (body == null) return whole;
        List<Element> children = new ArrayList<>();
        for (Node n = body.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                children.add((Element) n);
            } else if (n.getNodeType() == Node.TEXT_NODE && !n.getTextContent().isBlank()) {
                return whole;
            }
        }
        if (children.size() < 2 * minPagesPerPart) return whole;
        if (hasInternalLinks(body)) return whole;
        // Cut points: after elements that force a page break.
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < children.size() - 1; i++) {
            if (breaks(children.get(i), breakingClasses, undone)) cuts.add(i + 1);
        }
        int n = Math.min(parts, children.size() / minPagesPerPart);
        List<Integer> chosen = new ArrayList<>();
        for (int k = 1; k < n; k++) {
            int target = children.size() * k / n;
            Integer best = null;
            for (int c : cuts) {
                if (best == null || Math.abs(c - target) < Math.abs(best - target)) best = c;
            }
            if (best != null && (chosen.isEmpty() || best > chosen.get(chosen.size() - 1))) chosen.add(best);
        }
        if (chosen.isEmpty()) return whole;
        chosen.add(children.size());
        // The shell: the document with an empty body (children detached, then put back).
        List<Node> detached = new ArrayList<>();
        while (body.getFirstChild() != null) detached.add(body.removeChild(body.getFirstChild()));
        Document shell = (Document) dom.cloneNode(true);
        for (Node child : detached) body.appendChild(child);
        List<Supplier<Document>> out = new ArrayList<>();
        int from = 0;
        for (int to : chosen) {
            int start = from;
            out.add(() -> part(shell, children, start, to));
            from = to;
        }
        return out;
    }

    /** A copy of the shell (the document with an empty body) holding the pages {@code from} to {@code to}, moved there. */
    private static Document part(Document shell, List<Element> children, int from, int to) {
        Document copy = (Document) shell.cloneNode(true);
        Element body = body(copy);
        Element last = null;
        for (int i = from; i < to; i++) {
            // Moved, not copied: the source document is not rendered once it is cut.
            Node moved = copy.adoptNode(children.get(i));
            last = (Element) (moved != null ? moved : copy.importNode(children.get(i), true));
            body.appendChild(last);
            body.appendChild(copy.createTextNode("\n"));
        }
        if (last != null && to < children.size()) {
            // The part's last page must not push a blank page after it.
            String style = last.getAttribute("style");
            last.setAttribute("style", (style.isBlank() ? "" : style + ";") + "page-break-after: auto; break-after: auto");
        }
        return copy;
    }

    private static boolean breaks(Element e, Set<String> breakingClasses, List<Set<String>> undone) {
        String style = e.getAttribute("style");
        if (!style.isEmpty() && style.toLowerCase(Locale.ROOT).contains("break-after")) {
            return BREAK_AFTER.matcher(style).find();
        }
        Set<String> classes = Set.of(e.getAttribute("class").trim().split("\\s+"));
        for (Set<String> u : undone) {
            if (classes.containsAll(u)) return false;
        }
        for (String c : classes) {
            if (breakingClasses.contains(c)) return true;
        }
        return false;
    }

    /**
     * Classes whose own simple rule ({@code .letter { … }}) forces a break after; the class sets of
     * compound rules that undo it go to {@code undone}; null when another kind of selector touches
     * {@code break-after} (then the document is not cut).
     */
    private static Set<String> breakingClasses(String css, List<Set<String>> undone) {
        Set<String> out = new HashSet<>();
        Matcher m = RULE.matcher(css.replaceAll("/\\*.*?\\*/", ""));
        while (m.find()) {
            String selectors = m.group(1);
            if (selectors.contains("@")) continue;
            boolean forces = BREAK_AFTER.matcher(m.group(2)).find();
            for (String sel : selectors.split(",")) {
                Matcher c = SIMPLE_CLASS.matcher(sel);
                if (c.matches()) {
                    if (forces) out.add(c.group(1));
                } else if (m.group(2).toLowerCase(Locale.ROOT).contains("break-after")) {
                    // e.g. ".letter.last { page-break-after: auto }": an element with all these
                    // classes is not a cut point. Any other kind of selector: do not cut at all.
                    if (!sel.trim().matches("(\\.[A-Za-z0-9_-]+)+")) return null;
                    if (!forces) undone.add(Set.of(sel.trim().substring(1).split("\\.")));
                }
            }
        }
        return out;
    }

    private static boolean hasInternalLinks(Element body) {
        NodeList links = body.getElementsByTagNameNS("*", "a");
        for (int i = 0; i < links.getLength(); i++) {
            if (((Element) links.item(i)).getAttribute("href").startsWith("#")) return true;
        }
        return false;
    }

    private static String styles(Document dom) {
        StringBuilder sb = new StringBuilder();
        NodeList styles = dom.getElementsByTagNameNS("*", "style");
        for (int i = 0; i < styles.getLength(); i++) sb.append(styles.item(i).getTextContent()).append('\n');
        return sb.toString();
    }

    private static Element body(Document dom) {
        NodeList b = dom.getElementsByTagNameNS("*", "body");
        return b.getLength() == 0 ? null : (Element) b.item(0);
    }
}
