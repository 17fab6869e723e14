package fr.publipostage.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.BadJWTExceptions;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenID Connect provider as Nimbus OAuth 2.0 SDK sees it: discovery (cached an hour, the last
 * good answer kept while the provider is unreachable), the authorization request (code flow, PKCE
 * S256, state, nonce), the token request, the ID token's checks (signature against the provider's
 * published keys, issuer, audience, expiry and issue time with {@code PUBLIPOSTAGE_OIDC_CLOCK_SKEW_SECONDS},
 * nonce — all Nimbus's {@link IDTokenValidator}, nothing hand-written), userinfo and the logout
 * address. Every failure is an {@link OidcFailure} whose reason the person can act on.
 */
public final class OidcProvider {
    private static final Duration DISCOVERY_TTL = Duration.ofHours(1);
    /** Signature algorithms accepted for ID tokens: public-key ones only (never none, never HS*). */
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.copyOf(new LinkedHashSet<>(List.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
            JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA)));

    private final OidcSettings settings;
    private final Clock clock;
    private volatile Discovered discovered;

    public OidcProvider(OidcSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The provider's metadata and the ID token validator built from it. */
    private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator, Instant at) {
    }

    /** The tokens of a successful token request. */
    public record Tokens(JWT idToken, String accessToken) {
    }

    private Discovered discovered() {
        Discovered d = discovered;
        if (d != null && d.at().plus(DISCOVERY_TTL).isAfter(clock.instant())) return d;
        synchronized (this) {
            d = discovered;
            if (d != null && d.at().plus(DISCOVERY_TTL).isAfter(clock.instant())) return d;
            try {
                discovered = discover();
                return discovered;
            } catch (OidcFailure e) {
                if (d != null) return d;  // the last good answer while the provider is down
                throw e;
            }
        }
    }

    private Discovered discover() {
        OIDCProviderMetadata metadata;
        try {
            // Nimbus also checks that the document's issuer is exactly the configured one.
            metadata = OIDCProviderMetadata.resolve(new Issuer(settings.issuer()), settings.timeoutMillis(), settings.timeoutMillis());
        } catch (IOException e) {
            throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, "discovery of " + settings.issuer() + " failed: " + e, e);
        } catch (GeneralException e) {
            metadata = withFinalSlash(e);
        }
        if (!httpAddress(metadata.getAuthorizationEndpointURI()) || !httpAddress(metadata.getTokenEndpointURI())
                || !httpAddress(metadata.getJWKSetURI())) {
            throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, "discovery document of " + settings.issuer()
                    + " lacks authorization_endpoint, token_endpoint or jwks_uri as absolute http(s) addresses");
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        if (metadata.getIDTokenJWSAlgs() != null) {
            for (JWSAlgorithm a : metadata.getIDTokenJWSAlgs()) if (ASYMMETRIC.contains(a)) algorithms.add(a);
        }
        if (algorithms.isEmpty()) algorithms.add(JWSAlgorithm.RS256);
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever(settings.timeoutMillis(), settings.timeoutMillis(), 512 * 1024)).build();
        } catch (IOException e) {
            throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, "bad jwks_uri " + metadata.getJWKSetURI(), e);
        }
        IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(settings.clientId()),
                new JWSVerificationKeySelector<>(algorithms, keys), null);
        validator.setMaxClockSkew(settings.clockSkewSeconds());
        return new Discovered(metadata, validator, clock.instant());
    }

    /**
     * The settings drop a final slash of the issuer; a provider that writes its issuer with one (Auth0…)
     * is asked again under that exact name, which Nimbus then checks against its document as usual.
     */
    private OIDCProviderMetadata withFinalSlash(GeneralException refused) {
        if (!settings.issuer().endsWith("/")) {
            try {
                return OIDCProviderMetadata.resolve(new Issuer(settings.issuer() + "/"), settings.timeoutMillis(), settings.timeoutMillis());
            } catch (IOException | GeneralException e) {
                // the first refusal says best what is wrong
            }
        }
        throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, "discovery document of " + settings.issuer() + " refused: "
                + refused.getMessage(), refused);
    }

    private static boolean httpAddress(URI uri) {
        return uri != null && uri.isAbsolute() && uri.getHost() != null
                && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
    }

    /** Discovery now (the login button's first click, and the start-up check): throws when unreachable. */
    public void check() {
        discovered();
    }

    /**
     * Where to send the browser: the provider's authorization endpoint with the code flow, PKCE S256,
     * state and nonce; {@code fresh} asks the provider to authenticate again now (prompt=login,
     * max_age=0), with the configured acr values, for a step-up.
     */
    public URI authorizationUri(URI redirectUri, State state, Nonce nonce, CodeVerifier verifier, boolean fresh) {
        OIDCProviderMetadata metadata = discovered().metadata();
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope(settings.scopes().toArray(String[]::new)), new ClientID(settings.clientId()), redirectUri)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        if (fresh) {
            request.prompt(new Prompt(Prompt.Type.LOGIN)).maxAge(0);
            if (!settings.mfaAcr().isEmpty()) request.acrValues(settings.mfaAcr().stream().map(ACR::new).toList());
        }
        return request.build().toURI();
    }

    /** The token request for the code the provider sent back, with the PKCE verifier. */
    public Tokens exchange(String code, URI redirectUri, CodeVerifier verifier) {
        OIDCProviderMetadata metadata = discovered().metadata();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, verifier);
        ClientAuthentication authentication = clientAuthentication(metadata);
        TokenRequest request = authentication == null
                ? new TokenRequest(metadata.getTokenEndpointURI(), new ClientID(settings.clientId()), grant)
                : new TokenRequest(metadata.getTokenEndpointURI(), authentication, grant);
        HTTPResponse response = send(request.toHTTPRequest(), "token endpoint");
        TokenResponse token;
        try {
            token = OIDCTokenResponseParser.parse(response);
        } catch (ParseException e) {
            throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, "token endpoint answered HTTP " + response.getStatusCode()
                    + ", not a token response: " + e.getMessage(), e);
        }
        if (!token.indicatesSuccess()) {
            ErrorObject error = token.toErrorResponse().getErrorObject();
            String detail = "token endpoint refused the code: HTTP " + response.getStatusCode() + " " + error.getCode()
                    + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")");
            String code2 = error.getCode() == null ? "" : error.getCode();
            // No OAuth error and a server error (a proxy's 502 page, a provider down): it does not answer.
            if (code2.isEmpty() && response.getStatusCode() >= 500) throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, detail);
            if (code2.equals(OAuth2Error.INVALID_CLIENT.getCode()) || code2.equals(OAuth2Error.UNAUTHORIZED_CLIENT.getCode())
                    || (code2.isEmpty() && response.getStatusCode() == 401)) {
                throw new OidcFailure(OidcFailure.Reason.CLIENT_REFUSED, detail);
            }
            if (code2.equals(OAuth2Error.INVALID_GRANT.getCode())) throw new OidcFailure(OidcFailure.Reason.CODE_REFUSED, detail);
            throw new OidcFailure(OidcFailure.Reason.PROVIDER_ERROR, detail);
        }
        OIDCTokenResponse ok = (OIDCTokenResponse) token.toSuccessResponse();
        JWT idToken = ok.getOIDCTokens().getIDToken();
        if (idToken == null) throw new OidcFailure(OidcFailure.Reason.TOKEN_REFUSED, "token response without id_token");
        return new Tokens(idToken, ok.getOIDCTokens().getAccessToken() == null ? null : ok.getOIDCTokens().getAccessToken().getValue());
    }

    private ClientAuthentication clientAuthentication(OIDCProviderMetadata metadata) {
        if (settings.clientSecret().isEmpty()) return null;  // a public client: PKCE alone
        ClientID id = new ClientID(settings.clientId());
        Secret secret = new Secret(settings.clientSecret());
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        if (methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
            return new ClientSecretPost(id, secret);
        }
        return new ClientSecretBasic(id, secret);
    }

    /** Nimbus's checks of the ID token (signature with the provider's keys, issuer, audience, times, nonce), then its authorized party. */
    public IDTokenClaimsSet validate(JWT idToken, Nonce expectedNonce) {
        IDTokenValidator validator = discovered().validator();
        IDTokenClaimsSet claims;
        try {
            claims = validator.validate(idToken, expectedNonce);
        } catch (BadJWTException e) {
            if (e == BadJWTExceptions.EXPIRED_EXCEPTION || e == BadJWTExceptions.IAT_CLAIM_AHEAD_EXCEPTION) {
                throw new OidcFailure(OidcFailure.Reason.CLOCK, "ID token outside its validity times (" + e.getMessage()
                        + "; allowed skew " + settings.clockSkewSeconds() + " s; this server's clock: " + clock.instant() + ")", e);
            }
            throw new OidcFailure(OidcFailure.Reason.TOKEN_REFUSED, "ID token refused: " + e.getMessage(), e);
        } catch (BadJOSEException e) {
            throw new OidcFailure(OidcFailure.Reason.TOKEN_REFUSED, "ID token refused: " + e.getMessage(), e);
        } catch (JOSEException e) {
            if (e instanceof JWKSetUnavailableException || e.getCause() instanceof IOException) {
                throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, "the provider's keys could not be read: " + e.getMessage(), e);
            }
            throw new OidcFailure(OidcFailure.Reason.TOKEN_REFUSED, "ID token could not be checked: " + e.getMessage(), e);
        }
        // Nimbus checks that our client is one of the audiences, not the authorized party: a token issued
        // to another client that lists us too is not ours (OpenID Connect Core 3.1.3.7, points 4 and 5).
        if (claims.getAuthorizedParty() != null && !settings.clientId().equals(claims.getAuthorizedParty().getValue())) {
            throw new OidcFailure(OidcFailure.Reason.TOKEN_REFUSED, "ID token refused: issued to another client (azp "
                    + claims.getAuthorizedParty().getValue() + ", audiences " + claims.getAudience() + ")");
        }
        return claims;
    }

    /** The userinfo claims (when the ID token lacks the login claim); empty when the provider has no such endpoint. */
    public Optional<Map<String, Object>> userInfo(String accessToken, String expectedSubject) {
        URI endpoint = discovered().metadata().getUserInfoEndpointURI();
        if (endpoint == null || accessToken == null) return Optional.empty();
        HTTPResponse response = send(new UserInfoRequest(endpoint, new BearerAccessToken(accessToken)).toHTTPRequest(), "userinfo endpoint");
        try {
            UserInfoResponse info = UserInfoResponse.parse(response);
            if (!info.indicatesSuccess()) {
                ErrorObject error = info.toErrorResponse().getErrorObject();
                String detail = "userinfo refused: HTTP " + response.getStatusCode() + " " + (error == null ? null : error.getCode());
                // No OAuth error and a server error (a proxy's 502 page, a provider down): it does not answer.
                if ((error == null || error.getCode() == null) && response.getStatusCode() >= 500) {
                    throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, detail);
                }
                throw new OidcFailure(OidcFailure.Reason.PROVIDER_ERROR, detail);
            }
            var claims = info.toSuccessResponse().getUserInfo();
            if (claims == null || !expectedSubject.equals(claims.getSubject().getValue())) {
                throw new OidcFailure(OidcFailure.Reason.TOKEN_REFUSED, "userinfo subject differs from the ID token's");
            }
            return Optional.of(claims.toJSONObject());
        } catch (ParseException e) {
            throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, "userinfo answer not understood: " + e.getMessage(), e);
        }
    }

    /** RP-initiated logout at the provider, when its discovery document has an end_session_endpoint. */
    public Optional<URI> logoutUri(JWT idTokenHint, URI postLogoutRedirect) {
        Discovered d;
        try {
            d = discovered();
        } catch (OidcFailure e) {
            return Optional.empty();  // the local session is closed anyway
        }
        URI endpoint = d.metadata().getEndSessionEndpointURI();
        if (endpoint == null) return Optional.empty();
        return Optional.of(new LogoutRequest(endpoint, idTokenHint, null, new ClientID(settings.clientId()), postLogoutRedirect,
                null, null).toURI());
    }

    private HTTPResponse send(HTTPRequest request, String what) {
        request.setConnectTimeout(settings.timeoutMillis());
        request.setReadTimeout(settings.timeoutMillis());
        try {
            return request.send();
        } catch (IOException e) {
            throw new OidcFailure(OidcFailure.Reason.UNREACHABLE, what + " " + request.getURI() + " unreachable: " + e, e);
        }
    }
}
