package fr.publipostage.mailing;

/** A rendered message: subject, HTML part and plain-text part. */
public record ComposedMail(String subject, String html, String text) {
}
