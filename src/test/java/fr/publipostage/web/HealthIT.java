package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.testing.TestDatabase;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HealthIT {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(Javalin server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndHomeAnswerOnARandomPort() throws Exception {
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            Javalin server = db.app().server().start(0);
            try {
                HttpResponse<String> health = get(server, "/health");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"database\":\"up\"");

                assertThat(get(server, "/").body()).contains("lang=\"fr\"").contains("Sélection");
                assertThat(get(server, "/?lang=en").body()).contains("lang=\"en\"").contains("Selection");

                HttpResponse<String> missing = get(server, "/no/such/page");
                assertThat(missing.statusCode()).isEqualTo(404);
                assertThat(missing.body()).contains("introuvable").doesNotContain("Exception");
            } finally {
                server.stop();
            }
        }
    }
}
