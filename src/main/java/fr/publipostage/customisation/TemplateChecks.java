package fr.publipostage.customisation;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import fr.publipostage.letters.Glyphs;
import fr.publipostage.letters.LetterFailure;
import fr.publipostage.mailing.ComposedMail;
import fr.publipostage.mailing.MailHtml;
import fr.publipostage.mailing.MailKind;
import fr.publipostage.selection.Selection;
import fr.publipostage.templates.MessageOverrides;
import fr.publipostage.templates.ImageLimits;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.TemplateCatalog;
import fr.publipostage.templates.TextCatalog;
import fr.publipostage.templates.TemplateError;
import fr.publipostage.templates.TemplateResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The checks a new text of a template file must pass before it replaces the working one: it renders
 * (Velocity syntax, strict variables, the sandbox), the page is well-formed XHTML, every letter of the
 * synthetic worst case still fits its page in every layout and language, the fonts have every character,
 * and the mails still compose. Each problem is reported in the admin's language; none is fixed silently.
 */
final class TemplateChecks {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([0-9])}");

    private final Rendering.Factory renderings;
    private final Messages messages;
    private final Glyphs glyphs;
    private final int maxTemplateChars;

    TemplateChecks(Rendering.Factory renderings, Messages messages, Glyphs glyphs, int maxTemplateChars) {
        this.renderings = renderings;
        this.messages = messages;
        this.glyphs = glyphs;
        this.maxTemplateChars = maxTemplateChars;
    }

    /** Everything wrong with {@code draft} (the structure's set with this one file replaced); empty when it may be saved. */
    List<Problem> check(Structure structure, TemplateCatalog.Entry file, String text, TemplateResolver draft) {
        List<Problem> problems = new ArrayList<>();
        if (text.length() > maxTemplateChars) {
            problems.add(Problem.of("editor.check.tooLarge", text.length(), maxTemplateChars));
            return problems;
        }
        if (file.name().equals("print-document.vm") && !text.contains("$content") && !text.contains("${content}")) {
            // The engine puts the letters where $content is: without it every print would fail.
            problems.add(Problem.of("editor.check.noContent"));
            return problems;
        }
        if (file.kind() == TemplateCatalog.Kind.TEXTS) {
            problems.addAll(checkTexts(file, text));
            if (!problems.isEmpty()) return problems;
        }
        Rendering rendering = renderings.through(draft);
        if (file.kind() != TemplateCatalog.Kind.MAIL) problems.addAll(checkPrint(structure, rendering));
        if (file.kind() != TemplateCatalog.Kind.PRINT) problems.addAll(checkMails(structure, rendering));
        return problems;
    }

    /**
     * What would break the letters' tagged structure (PDF/UA) without stopping them from printing: an
     * image or object without alternative text, a skipped heading level or a first heading that is not
     * {@code h1}, a document without title. Reported on save as warnings (the text is saved), with the
     * line in the edited text when it is there. Read from the worst case's pages, layouts 1 (with its
     * cover sheet) and 8, so every letter, card and cover template is seen.
     */
    List<Problem> accessibility(Structure structure, TemplateCatalog.Entry file, String text, TemplateResolver draft) {
        if (file.kind() == TemplateCatalog.Kind.MAIL) return List.of();
        Rendering rendering = renderings.through(draft);
        List<Account> worst = worstCases(structure.id());
        java.util.LinkedHashSet<Problem> warnings = new java.util.LinkedHashSet<>();
        for (int layout : new int[] {1, 8}) {
            String xhtml;
            try {
                xhtml = rendering.letters().xhtml(sheetSelection(structure.id(), layout, layout == 1), worst);
            } catch (TemplateError e) {
                return List.of();  // reported by check() already
            }
            Page page = read(xhtml);
            if (page.document() == null) return List.of();
            warnings.addAll(accessibility(page.document(), text));
        }
        return List.copyOf(warnings);
    }

    static List<Problem> accessibility(org.w3c.dom.Document doc, String edited) {
        List<Problem> warnings = new ArrayList<>();
        org.w3c.dom.NodeList titles = doc.getElementsByTagNameNS("*", "title");
        if (titles.getLength() == 0 || titles.item(0).getTextContent().isBlank()) {
            warnings.add(new Problem("editor.warn.title", List.of(), lineOf(edited, "<head"), 0));
        }
        org.w3c.dom.NodeList all = doc.getElementsByTagNameNS("*", "*");
        int previous = 0;
        boolean imageReported = false;
        boolean headingReported = false;
        for (int i = 0; i < all.getLength(); i++) {
            org.w3c.dom.Element e = (org.w3c.dom.Element) all.item(i);
            String tag = e.getLocalName();
            if ((tag.equals("img") || tag.equals("object")) && e.getAttribute("alt").isBlank() && !imageReported) {
                imageReported = true;
                warnings.add(new Problem("editor.warn.alt", List.of("<" + tag + ">"), lineWithout(edited, "<" + tag, "alt="), 0));
            }
            if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                int level = tag.charAt(1) - '0';
                if (!headingReported && (previous == 0 ? level != 1 : level > previous + 1)) {
                    headingReported = true;
                    warnings.add(new Problem("editor.warn.heading", List.of(previous == 0 ? "—" : "h" + previous, tag),
                            lineOf(edited, "<" + tag), 0));
                }
                previous = level;
            }
        }
        return warnings;
    }

    /** 1-based line of the first occurrence of {@code what} in the edited text, 0 when it is not there. */
    private static int lineOf(String text, String what) {
        int at = text.indexOf(what);
        return at < 0 ? 0 : (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    /** 1-based line of the first line holding {@code what} but not {@code without}, 0 when none. */
    private static int lineWithout(String text, String what, String without) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int at = lines[i].indexOf(what);
            if (at >= 0 && !lines[i].substring(at).contains(without)) return i + 1;
        }
        return lineOf(text, what);
    }

    /** Only keys of the letters and mails, known to the bundle, with no placeholder the text does not receive. */
    private List<Problem> checkTexts(TemplateCatalog.Entry file, String text) {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> texts;
        try {
            texts = MessageOverrides.parse(text);
        } catch (TemplateError e) {
            return List.of(Problem.of("editor.check.properties", e.getMessage()));
        }
        for (Map.Entry<String, String> t : texts.entrySet()) {
            String key = t.getKey();
            int line = lineOfKey(text, key);
            boolean allowed = TemplateCatalog.TEXT_PREFIXES.stream().anyMatch(key::startsWith);
            if (!allowed || !messages.has(file.language(), key)) {
                problems.add(new Problem("editor.check.unknownKey", List.of(key), line, 0));
                continue;
            }
            // What the templates give the text (TextCatalog), else what the built-in text uses.
            int known = TextCatalog.field(key).isPresent() ? TextCatalog.placeholderCount(key) - 1
                    : maxPlaceholder(messages.get(file.language(), key));
            int used = maxPlaceholder(t.getValue());
            if (used > known) {
                problems.add(new Problem("editor.check.placeholder", List.of(key, "{" + used + "}", known + 1), line, 0));
            }
        }
        return problems;
    }

    private static int maxPlaceholder(String text) {
        int max = -1;
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) max = Math.max(max, Integer.parseInt(m.group(1)));
        return max;
    }

    private static int lineOfKey(String text, String key) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].stripLeading();
            if (l.startsWith(key) && l.substring(key.length()).stripLeading().matches("^[=:].*|^$|^\\s.*")) return i + 1;
        }
        return 0;
    }

    /** The window-envelope layout among the checked layouts (1, 2, 8 are letters per sheet). */
    static final int POSTAL = 0;

    /**
     * The worst case, still to activate and activated, in both languages, in layout 1 with its class
     * cover sheet (a full page of names, as a real class prints it), in layouts 2 and 8, and in the
     * window-envelope layout (six- and seven-line addresses, and a full page of the same people without
     * an address, handed over in person: the hand-over list and their letters): each sheet must render
     * to exactly one page, each address stay alone in the envelope's window (the engine measures it
     * after layout), and every page's characters be in the fonts.
     */
    private List<Problem> checkPrint(Structure structure, Rendering rendering) {
        List<Account> worst = worstCases(structure.id());
        List<Account> fullCover = fullPage(worst);
        List<Account> postal = new ArrayList<>(worst);
        for (Account a : fullCover) postal.add(a.withPostalAddress(null));
        List<Problem> problems = new ArrayList<>();
        Set<String> missing = new java.util.LinkedHashSet<>();
        for (int layout : new int[] {1, 2, 8, POSTAL}) {
            Selection selection = layout == POSTAL
                    ? sheetSelection(structure.id(), 1, false).withLayout(1,
                            new Selection.PostalPrint(Selection.PostalPrint.WithoutAddress.hand))
                    : sheetSelection(structure.id(), layout, layout == 1);
            List<Account> accounts = layout == POSTAL ? postal : layout == 1 ? fullCover : worst;
            String xhtml;
            try {
                xhtml = rendering.letters().xhtml(selection, accounts);
            } catch (TemplateError e) {
                problems.add(templateProblem(e));
                return problems;
            }
            Page page = read(xhtml);
            if (page.notWellFormed() != null) {
                problems.add(page.notWellFormed());
                return problems;
            }
            if (layout == 1 || layout == POSTAL) {
                List<Problem> outside = resources(page.document());
                if (!outside.isEmpty()) {
                    problems.addAll(outside);
                    return problems;
                }
            }
            // Every layout: some words are only on the cards (8) or the hand-over list (postal).
            missing.addAll(glyphs.missing(textOf(page.document())));
            try {
                rendering.letters().print(selection, accounts, OutputStream.nullOutputStream());
            } catch (LetterFailure e) {
                problems.add(overflowProblem(layout, e));
            } catch (TemplateError e) {
                problems.add(templateProblem(e));
                return problems;
            } catch (IOException e) {
                problems.add(Problem.of("editor.check.render", e.getMessage()));
                return problems;
            }
        }
        if (!missing.isEmpty()) problems.add(Problem.of("editor.check.glyphs", String.join(" ", missing)));
        return problems;
    }

    private List<Problem> checkMails(Structure structure, Rendering rendering) {
        List<Problem> problems = new ArrayList<>();
        for (Account a : worstCases(structure.id())) {
            ComposedMail mail;
            try {
                mail = rendering.mails().compose(MailKind.of(a), structure, a);
            } catch (TemplateError e) {
                return List.of(templateProblem(e));
            }
            // What the allow-list had to take out: the text is refused rather than silently changed.
            for (MailHtml.Removed r : mail.removed()) {
                Problem p = r.image() != null
                        ? new Problem("editor.check.image." + r.image().key(), r.image().args(), 0, 0)
                        : Problem.of("editor.check.mailHtml", r.what());
                if (!problems.contains(p)) problems.add(p);
            }
            if (!problems.isEmpty()) return problems;
        }
        return problems;
    }

    static List<Account> worstCases(long structureId) {
        List<Account> accounts = new ArrayList<>();
        for (String language : Messages.LANGUAGES) {
            accounts.add(WorstCase.of(structureId, false, language));
            accounts.add(WorstCase.of(structureId, true, language));
        }
        return accounts;
    }

    /** The worst cases repeated to fill one page of a class cover sheet or hand-over list. */
    static List<Account> fullPage(List<Account> worst) {
        List<Account> accounts = new ArrayList<>(fr.publipostage.letters.LetterEngine.COVER_ROWS_PER_PAGE);
        while (accounts.size() < fr.publipostage.letters.LetterEngine.COVER_ROWS_PER_PAGE) {
            accounts.add(worst.get(accounts.size() % worst.size()));
        }
        return accounts;
    }

    static Selection sheetSelection(long structureId, int layout, boolean cover) {
        return new Selection(structureId, Set.of(), Set.of(), Set.of(), Selection.Activation.all,
                Selection.EmailFilter.all, null, null, null,
                cover ? List.of(Selection.SortKey.classname) : List.of(), layout, cover);
    }

    /** A sheet ran over its page: the letter's (name, login, template) or the cover sheet's (class, template). */
    static Problem overflowProblem(int layout, LetterFailure e) {
        if (e.key().startsWith("render.address") || e.key().equals("render.windowCovered")
                || e.key().equals("render.noPostalAddressOne")) {
            // The window-envelope checks: full sentences naming the person.
            return new Problem(e.key(), e.args(), 0, 0);
        }
        if (layout == POSTAL && "render.coverOverflow".equals(e.key())) {
            // The only cover page of a window-envelope print: the list of letters to hand over in person.
            return new Problem("editor.check.handoverOverflow", List.of(e.args().get(e.args().size() - 1)), 0, 0);
        }
        if (layout == POSTAL && "render.overflow".equals(e.key())) {
            return new Problem("editor.check.postalOverflow", e.args(), 0, 0);
        }
        List<Object> args = new ArrayList<>();
        args.add(layout);
        args.addAll(e.args());
        String key = "render.coverOverflow".equals(e.key()) ? "editor.check.coverOverflow"
                : "render.overflow".equals(e.key()) ? "editor.check.overflow" : "editor.check.render";
        if (key.equals("editor.check.render")) return Problem.of(key, e.getMessage());
        return new Problem(key, args, 0, 0);
    }

    /** The sandbox's reason, in the admin's language, with the file, line and column it names. */
    static Problem templateProblem(TemplateError e) {
        return new Problem(e.messageKey(), List.of(e.messageArgs()), e.line(), e.column());
    }

    /** The page read once for every check: its document, or why it is not well-formed. */
    record Page(org.w3c.dom.Document document, Problem notWellFormed) {
    }

    /**
     * The page as the PDF engine will read it: XML, no DTD, no entities from outside. The parser's
     * own explanation is given in French ({0}) and English ({2}); {1} is the offending line.
     */
    static Page read(String xhtml) {
        try {
            return new Page(parse(xhtml, Locale.FRENCH), null);
        } catch (SAXParseException e) {
            String[] lines = xhtml.split("\n", -1);
            int line = e.getLineNumber();
            String excerpt = line >= 1 && line <= lines.length ? lines[line - 1].strip() : "";
            if (excerpt.length() > 120) excerpt = excerpt.substring(0, 120) + "…";
            return new Page(null, new Problem("editor.check.xhtml", List.of(e.getMessage(), excerpt, inEnglish(xhtml, e)),
                    line, e.getColumnNumber()));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return new Page(null, Problem.of("editor.check.xhtml", e.getMessage(), "", e.getMessage()));
        }
    }

    private static String inEnglish(String xhtml, SAXParseException french) {
        try {
            parse(xhtml, Locale.ENGLISH);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return e.getMessage();
        }
        return french.getMessage();
    }

    private static final Pattern CSS_URL = Pattern.compile("(?i)url\\(\\s*['\"]?([^'\")]*)|@import\\s+['\"]([^'\"]*)");
    private static final Set<String> FETCHING_ATTRIBUTES = Set.of("src", "href", "data", "srcset", "background",
            "poster", "codebase", "archive", "longdesc", "usemap", "formaction", "action", "cite", "manifest");

    /**
     * Everything the page would fetch that is not a {@code data:} URI (the school's logo is one): the
     * PDF engine refuses them while rendering anyway (no file, no network); here the admin is told
     * which. Links ({@code <a href>}) are not fetched: they stay clickable in the PDF.
     */
    static List<Problem> resources(org.w3c.dom.Document doc) {
        List<Problem> problems = new ArrayList<>();
        org.w3c.dom.NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            org.w3c.dom.Element e = (org.w3c.dom.Element) all.item(i);
            boolean link = e.getLocalName().equals("a");
            boolean image = e.getLocalName().equals("img");
            var attributes = e.getAttributes();
            for (int k = 0; k < attributes.getLength(); k++) {
                org.w3c.dom.Attr a = (org.w3c.dom.Attr) attributes.item(k);
                String name = a.getLocalName() == null ? a.getName() : a.getLocalName();
                if (name.equals("style")) {
                    cssResources(a.getValue(), problems);
                } else if (FETCHING_ATTRIBUTES.contains(name) && !(link && name.equals("href"))) {
                    refuseUnlessData(a.getValue(), problems);
                    // An image element's data: URI is an image whatever type it declares.
                    if (image && name.equals("src") && ImageLimits.isData(a.getValue()) && !isImage(a.getValue().strip())) {
                        imageProblem(a.getValue().strip(), problems);
                    }
                }
            }
            if (e.getLocalName().equals("style")) cssResources(e.getTextContent(), problems);
        }
        return problems;
    }

    private static void cssResources(String css, List<Problem> problems) {
        Matcher m = CSS_URL.matcher(css);
        while (m.find()) refuseUnlessData(m.group(1) != null ? m.group(1) : m.group(2), problems);
    }

    private static void refuseUnlessData(String uri, List<Problem> problems) {
        String u = uri.strip();
        if (u.isEmpty() || u.startsWith("#")) return;
        if (ImageLimits.isData(u)) {
            if (isImage(u)) imageProblem(u, problems);
            return;
        }
        Problem p = Problem.of("editor.check.resource", u.length() > 100 ? u.substring(0, 100) + "…" : u);
        if (!problems.contains(p)) problems.add(p);
    }

    /** A {@code data:} URI of an image (not of a font or a style sheet). */
    private static boolean isImage(String dataUri) {
        return dataUri.regionMatches(true, 5, "image/", 0, 6);
    }

    /**
     * An image a template embeds is checked from its header before anything decodes it: the logo's
     * limits (issue 10, leak 6).
     */
    static void imageProblem(String dataUri, List<Problem> problems) {
        ImageLimits.Refusal refusal = ImageLimits.DEFAULT.check(dataUri);
        if (refusal == null) return;
        Problem p = new Problem("editor.check.image." + refusal.key(), refusal.args(), 0, 0);
        if (!problems.contains(p)) problems.add(p);
    }

    /** The text a reader sees on the page (body text nodes). */
    private static String textOf(org.w3c.dom.Document doc) {
        var body = doc.getElementsByTagNameNS("*", "body");
        return body.getLength() == 0 ? doc.getDocumentElement().getTextContent() : body.item(0).getTextContent();
    }

    private static org.w3c.dom.Document parse(String xhtml, Locale language)
            throws ParserConfigurationException, SAXException, IOException {
        DocumentBuilderFactory f = factory();
        // The JDK's parser has its messages in French too.
        f.setAttribute("http://apache.org/xml/properties/locale", language);
        var builder = f.newDocumentBuilder();
        // Errors are reported to the admin, not printed on the server's console.
        builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        return builder.parse(new ByteArrayInputStream(xhtml.getBytes(StandardCharsets.UTF_8)));
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setExpandEntityReferences(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        return f;
    }
}
