package fr.publipostage.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcSettingsTest {
    private static OidcSettings settings(Map<Setting, String> values) {
        return OidcSettings.from(Config.of(values));
    }

    @Test
    void offWithoutIssuerAndOpenidAlwaysAsked() {
        assertThat(settings(Map.of()).enabled()).isFalse();
        OidcSettings s = settings(Map.of(Setting.OIDC_ISSUER, "https://ent.example.fr/auth/", Setting.OIDC_CLIENT_ID, "pp",
                Setting.OIDC_SCOPES, "profile, email"));
        assertThat(s.enabled()).isTrue();
        assertThat(s.issuer()).isEqualTo("https://ent.example.fr/auth");
        assertThat(s.scopes()).containsExactly("openid", "profile", "email");
        assertThat(s.loginClaim()).isEqualTo("preferred_username");
        assertThat(s.classTeacherFunctions()).containsExactly("HEAD_TEACHER");
    }

    @Test
    void aHalfConfiguredProviderStopsTheStartWithTheSettingToFix() {
        assertThatThrownBy(() -> settings(Map.of(Setting.OIDC_ISSUER, "https://ent.example.fr")))
                .hasMessageContaining("PUBLIPOSTAGE_OIDC_CLIENT_ID");
        assertThatThrownBy(() -> settings(Map.of(Setting.OIDC_ISSUER, "ent.example.fr", Setting.OIDC_CLIENT_ID, "x")))
                .hasMessageContaining("PUBLIPOSTAGE_OIDC_ISSUER");
        assertThatThrownBy(() -> settings(Map.of(Setting.OIDC_ONLY, "true"))).hasMessageContaining("PUBLIPOSTAGE_OIDC_ISSUER");
        assertThatThrownBy(() -> settings(Map.of(Setting.PUBLIC_URL, "https://x.fr/?a=b"))).hasMessageContaining("PUBLIPOSTAGE_PUBLIC_URL");
    }

    @Test
    void acrAtOrAboveTheListedLevels() {
        OidcSettings s = settings(Map.of(Setting.OIDC_ISSUER, "https://ent.example.fr", Setting.OIDC_CLIENT_ID, "pp",
                Setting.OIDC_MFA_ACR, "urn:ent:loa:2, substantial,high"));
        assertThat(s.acrCounts("urn:ent:loa:2")).isTrue();
        assertThat(s.acrCounts("urn:ent:loa:10")).isTrue();
        assertThat(s.acrCounts("urn:ent:loa:1")).isFalse();
        assertThat(s.acrCounts("urn:ent:loa:")).isFalse();
        assertThat(s.acrCounts("urn:other:loa:3")).isFalse();
        assertThat(s.acrCounts("substantial")).isTrue();
        assertThat(s.acrCounts("low")).isFalse();
        assertThat(s.acrCounts(null)).isFalse();
        OidcSettings none = settings(Map.of(Setting.OIDC_ISSUER, "https://ent.example.fr", Setting.OIDC_CLIENT_ID, "pp"));
        assertThat(none.acrCounts("urn:ent:loa:3")).isFalse();
    }
}
