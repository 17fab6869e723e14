package fr.publipostage.mailing;

import fr.publipostage.templates.ImageLimits;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * The HTML part of every mail goes through an allow-list (jsoup's {@link Safelist}), on save (the
 * template checks refuse a text that needs it) and at compose (whatever a stored template says): text,
 * lists, tables, headings, links to {@code http}, {@code https} or {@code mailto} addresses, inline
 * styles without {@code url()}, and images only as {@code data:} URIs within {@link ImageLimits} (the
 * school's logo is one). No script, no form, no frame, no remote image (tracking pixel), no
 * {@code javascript:} link, no event handler, no style sheet.
 */
public final class MailHtml {
    /** Something the allow-list removed: a tag, an attribute, or an image over the limits. */
    public record Removed(String what, ImageLimits.Refusal image) {
    }

    /** The clean document, and what was removed to get it (empty: the HTML was already clean). */
    public record Cleaned(String html, List<Removed> removed) {
    }

    private static final Pattern UNSAFE_STYLE = Pattern.compile("(?i)url\\s*\\(|expression\\s*\\(|@import|javascript:|behavior\\s*:|-moz-binding");

    private static final Safelist SAFELIST = Safelist.relaxed()
            .removeTags("img")
            .addTags("center", "font", "hr", "section", "article", "header", "footer", "main", "nav", "figure", "figcaption")
            .addAttributes(":all", "style", "class", "id", "lang", "dir", "title", "role", "align", "valign",
                    "bgcolor", "width", "height", "aria-label", "aria-hidden")
            .addAttributes("table", "border", "cellpadding", "cellspacing", "summary")
            .addAttributes("td", "colspan", "rowspan", "scope", "nowrap")
            .addAttributes("th", "colspan", "rowspan", "scope", "nowrap")
            .addAttributes("font", "color", "face", "size")
            .addTags("img").addAttributes("img", "src", "alt", "width", "height", "style")
            .addProtocols("img", "src", "data")
            .removeProtocols("a", "href", "ftp")
            .addProtocols("a", "href", "http", "https", "mailto")
            .preserveRelativeLinks(false);

    private MailHtml() {
    }

    /**
     * Cleans a mail's HTML: the body through the allow-list, the head reduced to the charset and the
     * title, the {@code <html lang>} kept.
     */
    public static Cleaned clean(String html) {
        Document dirty = Jsoup.parse(html == null ? "" : html);
        Set<Removed> removed = new LinkedHashSet<>();
        // Images over the limits go first (before the allow-list sees a data: URI as fine).
        for (Element img : dirty.select("img[src]")) {
            String src = img.attr("src").strip();
            if (!ImageLimits.isData(src)) continue;
            ImageLimits.Refusal refusal = ImageLimits.DEFAULT.check(src);
            if (refusal != null) {
                removed.add(new Removed("<img>", refusal));
                img.remove();
            }
        }
        for (Element e : dirty.head().children()) {
            String tag = e.normalName();
            if (!tag.equals("title") && !(tag.equals("meta") && (e.hasAttr("charset") || isViewport(e)))) {
                removed.add(new Removed("<" + tag + ">", null));
            }
        }
        listUnsafe(dirty.body(), removed);
        Document clean = new Cleaner(SAFELIST).clean(dirty);
        for (Element e : clean.body().getAllElements()) {
            String style = e.attr("style");
            if (!style.isEmpty() && UNSAFE_STYLE.matcher(Entities.unescape(style)).find()) {
                e.removeAttr("style");
                removed.add(new Removed("style=\"" + abbreviate(style) + "\"", null));
            }
        }
        Document out = Document.createShell("");
        String lang = dirty.selectFirst("html") == null ? "" : dirty.selectFirst("html").attr("lang");
        if (lang.matches("[A-Za-z-]{2,12}")) out.selectFirst("html").attr("lang", lang);
        out.head().appendElement("meta").attr("charset", "utf-8");
        out.head().appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
        String title = dirty.title();
        if (!title.isBlank()) out.head().appendElement("title").text(title);
        String bodyStyle = dirty.body().attr("style");
        if (!bodyStyle.isEmpty() && !UNSAFE_STYLE.matcher(Entities.unescape(bodyStyle)).find()) out.body().attr("style", bodyStyle);
        for (var node : new ArrayList<>(clean.body().childNodes())) out.body().appendChild(node);
        out.outputSettings().prettyPrint(false).charset("UTF-8").escapeMode(Entities.EscapeMode.base);
        return new Cleaned("<!DOCTYPE html>\n" + out.outerHtml(), List.copyOf(removed));
    }

    private static boolean isViewport(Element meta) {
        return meta.attr("name").equalsIgnoreCase("viewport");
    }

    /** What the allow-list will drop, named as the admin wrote it ({@code <script>}, {@code onclick}, {@code href="javascript:…"}). */
    private static void listUnsafe(Element body, Set<Removed> removed) {
        for (Element e : body.getAllElements()) {
            String tag = e.normalName();
            if (e == body) {
                for (Attribute a : e.attributes()) {
                    if (!a.getKey().equalsIgnoreCase("style")) removed.add(new Removed(a.getKey(), null));
                }
                continue;
            }
            if (!SAFELIST.isSafeTag(tag)) {
                removed.add(new Removed("<" + tag + ">", null));
                continue;
            }
            for (Attribute a : e.attributes()) {
                if (SAFELIST.isSafeAttribute(tag, e, a)) continue;
                String key = a.getKey().toLowerCase(Locale.ROOT);
                boolean link = key.equals("href") || key.equals("src");
                removed.add(new Removed(link ? key + "=\"" + abbreviate(a.getValue()) + "\"" : key, null));
            }
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 60 ? t.substring(0, 60) + "…" : t;
    }
}
