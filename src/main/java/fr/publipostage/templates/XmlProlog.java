package fr.publipostage.templates;

/**
 * What the prolog of a rendered XHTML page declares. Entities of its own (a DOCTYPE's internal
 * subset, {@code <!DOCTYPE html [ <!ENTITY … > ]>}) are refused: a few lines of them expand into
 * millions of characters that the PDF engine would lay out on every chunk. {@code <!DOCTYPE html>}
 * alone is fine.
 */
public final class XmlProlog {
    private XmlProlog() {
    }

    /** Whether the page's DOCTYPE opens an internal subset (a {@code [} before its {@code >}). */
    public static boolean declaresEntities(String xhtml) {
        int doctype = xhtml.indexOf("<!DOCTYPE");
        if (doctype < 0) return false;
        int close = xhtml.indexOf('>', doctype);
        int subset = xhtml.indexOf('[', doctype);
        return subset >= 0 && (close < 0 || subset < close);
    }

    /** The error for such a page, told about {@code template}. */
    public static TemplateError entitiesRefused(String template) {
        return new TemplateError(template, TemplateError.Reason.ENTITY_DECLARATIONS, 0, 0, "<!DOCTYPE … [ <!ENTITY … > ]>",
                "the page declares entities of its own (internal DTD subset)", null);
    }
}
