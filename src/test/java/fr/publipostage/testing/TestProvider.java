package fr.publipostage.testing;

import fr.publipostage.Setting;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import com.nimbusds.oauth2.sdk.TokenRequest;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;

/**
 * A real OpenID Connect provider in-process (NAV's mock-oauth2-server on loopback): discovery, keys,
 * authorization with PKCE, token, userinfo and end-session endpoints, signing real RS256 ID tokens.
 * Tests choose the claims of the next token ({@link #nextLogin}), move the provider's clock
 * ({@link #clockOffset}), or replace the next token endpoint answer entirely ({@link #nextTokenAnswer})
 * to send what a broken or hostile provider would.
 */
public final class TestProvider implements AutoCloseable {
    public static final String ISSUER_ID = "ent";
    public static final String CLIENT_ID = "publipostage";
    public static final String CLIENT_SECRET = "client-secret-for-tests";

    private final MockOAuth2Server server;
    private volatile Duration clockOffset = Duration.ZERO;
    private final AtomicReference<Function<OAuth2HttpRequest, OAuth2HttpResponse>> nextTokenAnswer = new AtomicReference<>();
    private final AtomicReference<Function<OAuth2HttpRequest, OAuth2HttpResponse>> nextUserInfoAnswer = new AtomicReference<>();
    private final NextLogin next = new NextLogin();
    private final KeyProvider keys = new KeyProvider();

    /** @param interactiveLogin the provider shows its login page (user name and claims) instead of answering at once */
    public TestProvider(boolean interactiveLogin) {
        this(interactiveLogin, 0);
    }

    /** @param port the loopback port; 0 = any free one */
    public TestProvider(boolean interactiveLogin, int port) {
        OAuth2TokenProvider tokens = new OAuth2TokenProvider(keys, () -> Instant.now().plus(clockOffset));
        OAuth2Config config = new OAuth2Config(interactiveLogin, null, null, false, tokens, java.util.Set.of(next), new no.nav.security.mock.oauth2.http.MockWebServerWrapper());
        server = new MockOAuth2Server(config, new TokenOverride(), new UserInfoOverride());
        server.start(port);
    }

    /** The next answer of the token endpoint, instead of the provider's own (once). */
    public void nextTokenAnswer(Function<OAuth2HttpRequest, OAuth2HttpResponse> answer) {
        nextTokenAnswer.set(answer);
    }

    /** The next answer of the userinfo endpoint, instead of the provider's own (once). */
    public void nextUserInfoAnswer(Function<OAuth2HttpRequest, OAuth2HttpResponse> answer) {
        nextUserInfoAnswer.set(answer);
    }

    /** A JWT signed with the provider's own key (the one its JWKS publishes): to send tokens it would never issue. */
    public String signWithProvidersKey(com.nimbusds.jwt.JWTClaimsSet claims) {
        try {
            com.nimbusds.jose.jwk.RSAKey key = keys.signingKey(ISSUER_ID).toRSAKey();
            com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(
                    com.nimbusds.jose.JWSAlgorithm.RS256).keyID(key.getKeyID()).type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
            jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token endpoint answer carrying this ID token. */
    public static OAuth2HttpResponse tokenAnswer(String idToken) {
        return json(200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":600,\"id_token\":\"" + idToken + "\"}");
    }

    public static OAuth2HttpResponse json(int status, String body) {
        return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json;charset=UTF-8"), status, body, null);
    }

    /** The provider's clock, ahead (positive) or behind ours. */
    public void clockOffset(Duration offset) {
        this.clockOffset = offset;
    }

    /**
     * The tokens issued from now on say this login (preferred_username; subject "sub-LOGIN") with these
     * extra claims (they win over the default ones: "nonce", "aud"… may be forged). With the interactive
     * login page, {@code login} null leaves the subject and claims to what is typed there.
     */
    public void nextLogin(String login, Map<String, Object> claims) {
        nextLogin(login, claims, 3600);
    }

    public void nextLogin(String login, Map<String, Object> claims, long expirySeconds) {
        Map<String, Object> all = new HashMap<>(claims);
        if (login != null) all.putIfAbsent("preferred_username", login);
        next.login = login;
        next.claims = Map.copyOf(all);
        next.expiry = expirySeconds;
    }

    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    public String jwksUrl() {
        return server.jwksUrl(ISSUER_ID).toString();
    }

    public MockOAuth2Server server() {
        return server;
    }

    /** The application's settings pointing at this provider. */
    public Map<Setting, String> settings() {
        return Map.of(Setting.OIDC_ISSUER, issuer(), Setting.OIDC_CLIENT_ID, CLIENT_ID,
                Setting.OIDC_CLIENT_SECRET, CLIENT_SECRET);
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** Answers the token endpoint with {@link #nextTokenAnswer} when one is set; else the provider answers. */
    private final class TokenOverride implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return nextTokenAnswer.get() != null && "POST".equals(request.getMethod())
                    && request.getUrl().encodedPath().endsWith("/" + ISSUER_ID + "/token");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            Function<OAuth2HttpRequest, OAuth2HttpResponse> answer = nextTokenAnswer.getAndSet(null);
            return answer.apply(request);
        }
    }

    /** Answers the userinfo endpoint with {@link #nextUserInfoAnswer} when one is set; else the provider answers. */
    private final class UserInfoOverride implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return nextUserInfoAnswer.get() != null && request.getUrl().encodedPath().endsWith("/" + ISSUER_ID + "/userinfo");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            Function<OAuth2HttpRequest, OAuth2HttpResponse> answer = nextUserInfoAnswer.getAndSet(null);
            return answer.apply(request);
        }
    }

    /** The provider's answer to every token request: what the test set last (not a queue: nothing left over). */
    private static final class NextLogin implements OAuth2TokenCallback {
        volatile String login;
        volatile Map<String, Object> claims = Map.of();
        volatile long expiry = 3600;

        @Override
        public String issuerId() {
            return ISSUER_ID;
        }

        @Override
        public String subject(TokenRequest request) {
            return "sub-" + (login == null ? "nobody" : login);
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return List.of(CLIENT_ID);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return new HashMap<>(claims);
        }

        @Override
        public long tokenExpiry() {
            return expiry;
        }
    }
}
