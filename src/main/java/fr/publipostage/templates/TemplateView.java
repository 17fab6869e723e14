package fr.publipostage.templates;

/**
 * Marker of the small read-only objects handed to templates ($account, $structure, $ent, $qr,
 * $msg, $date…). The sandbox lets templates call methods only on these, on strings, numbers,
 * booleans, and on lists and maps built from them: never on the application's own records.
 */
public interface TemplateView {
}
