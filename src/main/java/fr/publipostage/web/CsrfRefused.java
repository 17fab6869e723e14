package fr.publipostage.web;

/** A state-changing request without the session's CSRF token, or from another origin: 403. */
final class CsrfRefused extends RuntimeException {
    CsrfRefused() {
        super("csrf", null, false, false);
    }
}
