package fr.publipostage.web;

import fr.publipostage.templates.Messages;
import io.javalin.http.Context;

/** The language of a request: ?lang=, else the "lang" cookie, else French. */
final class Lang {
    private Lang() {
    }

    static String of(Context ctx) {
        String requested = ctx.queryParam("lang");
        if (requested == null) requested = ctx.cookie("lang");
        return Messages.language(requested);
    }
}
