package fr.publipostage.web;

import fr.publipostage.security.WebSession;
import fr.publipostage.templates.Messages;
import io.javalin.http.Context;
import java.util.Optional;

/** The language of a request: ?lang=, else the "lang" cookie, else the logged-in admin's, else French. */
final class Lang {
    static final String SESSION_ATTRIBUTE = "publipostage.session";

    private Lang() {
    }

    static String of(Context ctx) {
        String requested = ctx.queryParam("lang");
        if (requested == null) requested = ctx.cookie("lang");
        if (requested == null) {
            Optional<WebSession> session = ctx.attribute(SESSION_ATTRIBUTE);
            if (session != null && session.isPresent()) requested = session.get().admin().language();
        }
        return Messages.language(requested);
    }
}
