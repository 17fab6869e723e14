package fr.publipostage.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A logged-in admin's browser-like session with one instance over HTTP: its cookie and CSRF token,
 * usable against any instance sharing the database ({@link #at}), since sessions live in PostgreSQL.
 */
public final class HttpSession {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private URI base;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrf;

    private HttpSession(String baseUrl) {
        this.base = URI.create(baseUrl);
    }

    /** Logs in with this password (the admin's, not a one-time one) and reads the page's CSRF token. */
    public static HttpSession login(String baseUrl, String login, String password) {
        HttpSession s = new HttpSession(baseUrl);
        s.csrf = hidden(s.get("/login").body());
        HttpResponse<String> r = s.post("/login", Map.of("login", login, "password", password));
        if (r.statusCode() != 303) throw new IllegalStateException("login of " + login + " gave " + r.statusCode() + ": " + r.body());
        String page = s.get("/").body();
        Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
        s.csrf = m.find() ? m.group(1) : hidden(page);
        return s;
    }

    /** The same session, pointed at another instance. */
    public HttpSession at(String baseUrl) {
        this.base = URI.create(baseUrl);
        return this;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<byte[]> getBytes(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A form POST carrying the CSRF token, as the pages do. */
    public HttpResponse<String> post(String path, Map<String, String> form) {
        Map<String, String> fields = new LinkedHashMap<>(form);
        if (csrf != null) fields.put("_csrf", csrf);
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
        b.timeout(Duration.ofMinutes(2));
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<T> r = HTTP.send(b.build(), handler);
            synchronized (cookies) {
                for (String set : r.headers().allValues("Set-Cookie")) {
                    String pair = set.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    String value = pair.substring(eq + 1).trim();
                    if (value.isEmpty() || set.toLowerCase().contains("max-age=0")) cookies.remove(pair.substring(0, eq).trim());
                    else cookies.put(pair.substring(0, eq).trim(), value);
                }
            }
            return r;
        } catch (Exception e) {
            throw new IllegalStateException(b.build().method() + " " + b.build().uri() + ": " + e, e);
        }
    }

    private static String hidden(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }
}
