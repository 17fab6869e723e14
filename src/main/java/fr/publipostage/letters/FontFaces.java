package fr.publipostage.letters;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Finds the {@code @font-face} rules of a document's {@code <style>} elements whose file is one of
 * our fonts byte for byte, removes them from the style sheet and returns their families, so that
 * the renderer serves them from our fonts (parsed once, measured through {@link MeasuredFont}).
 * Other rules are left alone: the document's own fonts load as usual.
 */
final class FontFaces {
    private static final Pattern RULE = Pattern.compile("@font-face\\s*\\{([^}]*)\\}", Pattern.CASE_INSENSITIVE);
    private static final Pattern FAMILY = Pattern.compile("font-family\\s*:\\s*['\"]?([^;'\"]+)['\"]?\\s*;?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SRC = Pattern.compile("src\\s*:\\s*url\\(\\s*['\"]?([^)'\"]+)['\"]?\\s*\\)[^;,]*;?", Pattern.CASE_INSENSITIVE);
    private static final Pattern WEIGHT = Pattern.compile("font-weight\\s*:\\s*([a-z0-9]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern STYLE = Pattern.compile("font-style\\s*:\\s*([a-z]+)", Pattern.CASE_INSENSITIVE);

    private FontFaces() {
    }

    /** @return "weight|family" → our face, for the rules removed */
    static Map<String, Fonts.Face> adoptOurs(Document dom, Path folder, Fonts fonts) {
        Map<String, Fonts.Face> adopted = new LinkedHashMap<>();
        NodeList styles = dom.getElementsByTagNameNS("*", "style");
        for (int i = 0; i < styles.getLength(); i++) {
            Element style = (Element) styles.item(i);
            String css = style.getTextContent();
            Matcher m = RULE.matcher(css);
            StringBuilder kept = new StringBuilder();
            int last = 0;
            boolean changed = false;
            while (m.find()) {
                Fonts.Face face = ours(m.group(1), folder, fonts);
                String family = find(FAMILY, m.group(1));
                if (face == null || family == null) continue;
                String weight = find(WEIGHT, m.group(1));
                int w = weight == null || weight.equalsIgnoreCase("normal") ? 400
                        : weight.equalsIgnoreCase("bold") ? 700 : parseInt(weight);
                String fontStyle = find(STYLE, m.group(1));
                if (w != face.weight() || (fontStyle != null && !fontStyle.equalsIgnoreCase("normal"))) continue;
                adopted.put(w + "|" + family.trim(), face);
                kept.append(css, last, m.start());
                last = m.end();
                changed = true;
            }
            if (changed) {
                kept.append(css, last, css.length());
                style.setTextContent(kept.toString());
            }
        }
        return adopted;
    }

    private static Fonts.Face ours(String rule, Path folder, Fonts fonts) {
        String src = find(SRC, rule);
        if (src == null) return null;
        try {
            URI uri = folder.toUri().resolve(src.trim());
            if (!"file".equals(uri.getScheme())) return null;
            Path file = Path.of(uri).normalize();
            if (!PdfRenderer.allowed(file.toUri().toString(), folder) || !Files.isRegularFile(file)
                    || Files.size(file) > 20_000_000) {
                return null;
            }
            return fonts.sameFile(Fonts.withoutGsub(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 400;
        }
    }
}
