package fr.publipostage.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.sun.net.httpserver.HttpServer;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery against a provider that writes its discovery document its own way (a JDK HTTP server on
 * loopback): what it says is used, and what cannot be used is the "provider does not answer" failure,
 * never another exception (which the login page would show as a server error).
 */
class OidcProviderTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    /** Serves at /.well-known/openid-configuration the document this function writes for the server's base address. */
    private String serve(Function<String, String> document) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", exchange -> {
            byte[] body = document.apply(base).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return base;
    }

    private static String document(String issuer, String base, String jwksUri) {
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + base + "/authorize\","
                + "\"token_endpoint\":\"" + base + "/token\",\"jwks_uri\":\"" + jwksUri + "\","
                + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
    }

    private static OidcProvider provider(String issuer) {
        return new OidcProvider(OidcSettings.from(Config.of(Map.of(Setting.OIDC_ISSUER, issuer,
                Setting.OIDC_CLIENT_ID, "publipostage"))), Clock.systemUTC());
    }

    @Test
    void anIssuerWrittenWithATrailingSlashByTheProviderIsUsedAsItWritesIt() throws Exception {
        // Some providers (Auth0…) write their issuer with a final slash; the ID tokens' iss says the same.
        String base = serve(b -> document(b + "/", b, b + "/jwks"));
        OidcProvider provider = provider(base + "/");
        provider.check();
        URI authorize = provider.authorizationUri(URI.create("https://pp.example.fr/oidc/callback"), new State(), new Nonce(),
                new CodeVerifier(), false);
        assertThat(authorize.toString()).startsWith(base + "/authorize?");
    }

    @Test
    void aKeysAddressThatIsNotAnAbsoluteHttpAddressIsTheUnreachableFailure() throws Exception {
        for (String jwks : new String[] {"/jwks", "file:///etc/passwd", "ftp://127.0.0.1/jwks"}) {
            String base = serve(b -> document(b, b, jwks));
            assertThatThrownBy(() -> provider(base).check()).as(jwks).isInstanceOfSatisfying(OidcFailure.class,
                    e -> assertThat(e.reason()).isEqualTo(OidcFailure.Reason.UNREACHABLE));
            stop();
        }
    }
}
