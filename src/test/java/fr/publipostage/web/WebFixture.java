package fr.publipostage.web;

import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.testing.TestDatabase;
import io.javalin.Javalin;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A running application over its own test database with the demo schools and one admin per role,
 * each with a known password, on a random port; and a small HTTP client that keeps its session
 * cookie and CSRF token like a browser.
 */
public final class WebFixture implements AutoCloseable {
    public static final String PASSWORD = "correct-horse-battery";
    public static final String OWN = DemoDirectory.LYCEE_UAI;
    public static final String OTHER = DemoDirectory.COLLEGE_UAI;

    /** The roles of the authorization matrix. */
    public enum Who {
        SUPER("t.super"), LOCAL_OWN("t.local.own"), LOCAL_OTHER("t.local.other"), CLASS_TEACHER("t.teacher"), ANONYMOUS(null);

        public final String login;

        Who(String login) {
            this.login = login;
        }
    }

    public final TestDatabase.Fresh db;
    public final App app;
    public final Javalin server;

    public WebFixture() {
        this(Map.of());
    }

    public WebFixture(Map<Setting, String> settings) {
        db = TestDatabase.fresh();
        app = db.app(settings);
        app.demo().loadIfEmpty();
        app.admins().create(Who.SUPER.login, PASSWORD, true, List.of());
        app.admins().create(Who.LOCAL_OWN.login, PASSWORD, false, List.of(OWN));
        app.admins().create(Who.LOCAL_OTHER.login, PASSWORD, false, List.of(OTHER));
        app.admins().createClassTeacher(Who.CLASS_TEACHER.login, PASSWORD, OWN, List.of(DemoDirectory.DEMO_TUTOR_CLASS));
        server = app.server().start(0);
    }

    /** Another application instance over the same database (several instances share sessions). */
    public Javalin secondInstance() {
        return db.app().server().start(0);
    }

    public Client client() {
        return new Client(server.port());
    }

    /** A browser-like client of any instance (another process's server, for instance). */
    public static Client clientAt(int port) {
        return new Client(port);
    }

    /** A client of the application at this port, logged in with this login and password. */
    public static Client loggedIn(int port, String login, String password) {
        Client c = new Client(port);
        HttpResponse<String> r = c.login(login, password);
        if (r.statusCode() != 303) throw new IllegalStateException("login of " + login + " gave " + r.statusCode() + ": " + r.body());
        c.loadCsrf();
        return c;
    }

    /** A client logged in as this role (anonymous: a client with the pre-login CSRF cookie). */
    public Client as(Who who) {
        Client c = client();
        if (who == Who.ANONYMOUS) {
            c.csrf = hidden(c.get("/login").body());
            return c;
        }
        HttpResponse<String> r = c.login(who.login, PASSWORD);
        if (r.statusCode() != 303) throw new IllegalStateException("login of " + who + " gave " + r.statusCode() + ": " + r.body());
        c.loadCsrf();
        return c;
    }

    @Override
    public void close() {
        server.stop();
        // Stops the workers a test started before their pool goes away.
        app.close();
        db.close();
    }

    /** A browser-like HTTP client: one session cookie, the CSRF token of its pages. */
    public static final class Client {
        private final HttpClient http = HttpClient.newHttpClient();
        private URI base;
        private final Map<String, String> cookies = new LinkedHashMap<>();
        public String csrf;

        Client(int port) {
            this.base = URI.create("http://localhost:" + port);
        }

        /** Points this client (and its cookies) at another instance. */
        public Client at(int port) {
            this.base = URI.create("http://localhost:" + port);
            return this;
        }

        public HttpResponse<String> get(String path, String... headers) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
            return send(b, headers);
        }

        public HttpResponse<byte[]> getBytes(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
            cookieHeader(b);
            try {
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                remember(r);
                return r;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public HttpResponse<String> post(String path, Map<String, String> form, String... headers) {
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            return send(b, headers);
        }

        /** A form post carrying this client's CSRF token, as the pages do. */
        public HttpResponse<String> postForm(String path, Map<String, String> form) {
            Map<String, String> withToken = new LinkedHashMap<>(form);
            withToken.put("_csrf", csrf == null ? "" : csrf);
            return post(path, withToken);
        }

        /** A POST of raw bytes (a file as the body) with this client's CSRF token in the header, as a page's script sends it. */
        public HttpResponse<String> postBody(String path, byte[] body, String contentType) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            return send(b, "X-CSRF-Token", csrf == null ? "" : csrf);
        }

        /** A DELETE carrying this client's CSRF token in the header, as the pages' scripts send it. */
        public HttpResponse<String> delete(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).DELETE();
            return send(b, "X-CSRF-Token", csrf == null ? "" : csrf);
        }

        public HttpResponse<String> login(String login, String password) {
            HttpResponse<String> page = get("/login");
            csrf = hidden(page.body());
            return postForm("/login", Map.of("login", login, "password", password));
        }

        /** Reads the session's CSRF token from the console page (meta) or any form. */
        public void loadCsrf() {
            String body = get("/").body();
            Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(body);
            csrf = m.find() ? m.group(1) : hidden(body);
        }

        public String cookie(String name) {
            return cookies.get(name);
        }

        public void setCookie(String name, String value) {
            cookies.put(name, value);
        }

        private HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
            for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
            cookieHeader(b);
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                remember(r);
                return r;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void cookieHeader(HttpRequest.Builder b) {
            if (!cookies.isEmpty()) {
                b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
            }
        }

        private void remember(HttpResponse<?> r) {
            for (String set : r.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || set.toLowerCase().contains("max-age=0")) cookies.remove(name);
                else cookies.put(name, value);
            }
        }
    }

    public static String hidden(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }
}
