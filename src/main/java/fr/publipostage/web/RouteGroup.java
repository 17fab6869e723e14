package fr.publipostage.web;

import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * A set of routes registered together (pages, the selection API; later letters and mailing).
 * {@code App.server()} lists them all in one place. Handlers parse, call {@link Auth} first, call
 * one service and respond; every route must also be listed in the authorization-matrix test.
 */
public interface RouteGroup {
    void register(JavalinDefaultRoutingApi routes);
}
