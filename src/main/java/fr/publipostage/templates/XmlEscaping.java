package fr.publipostage.templates;

import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.Context;

/**
 * Every value a template prints is XML-escaped: a name like {@code <img src="file:…">} is text in
 * the letter, never markup the PDF engine would follow. It is also measured first (a huge list is
 * refused before it is turned into text) and counted against the render's budget.
 */
final class XmlEscaping implements ReferenceInsertionEventHandler {
    @Override
    public Object referenceInsert(Context context, String reference, Object value) {
        if (value == null) return null;
        RenderGuard guard = RenderGuard.of(context);
        if (guard != null) {
            guard.checkTime(0, 0);
            guard.checkValue(value, reference, 0, 0);
        }
        String text = value.toString();
        if (guard != null) guard.chargeInserted(text.length(), reference);
        return escape(text);
    }

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0xFFFE || c == 0xFFFF ? "" : null;
            };
            if (rep != null) {
                if (out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
