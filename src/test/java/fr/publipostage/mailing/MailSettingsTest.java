package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MailSettingsTest {
    @Test
    void defaultsAreTheSandbox() {
        MailSettings s = MailSettings.from(Config.of(Map.of()));
        assertThat(s.sandbox()).isTrue();
        assertThat(s.effectiveFrom()).isEqualTo(MailSettings.SANDBOX_FROM);
        assertThat(s.ratePerMinute()).isZero();
        assertThat(s.messagesPerConnection()).isEqualTo(100);
        assertThat(s.lease()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void realServerNeedsAFromAddressAndGetsTheUsualPort() {
        assertThatThrownBy(() -> MailSettings.from(Config.of(Map.of(Setting.SMTP_HOST, "smtp.example.fr"))))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("PUBLIPOSTAGE_SMTP_FROM")
                .satisfies(e -> {
                    // Worded for the operator in PUBLIPOSTAGE_LANGUAGE: French by default, English on request.
                    var messages = new fr.publipostage.templates.Messages();
                    assertThat(((Config.ConfigException) e).message(messages, "fr")).isEqualTo(
                            "PUBLIPOSTAGE_SMTP_FROM est obligatoire quand PUBLIPOSTAGE_SMTP_HOST est renseigné (l’adresse d’où partent les courriels)");
                    assertThat(((Config.ConfigException) e).message(messages, "en")).startsWith("PUBLIPOSTAGE_SMTP_FROM is required when");
                });
        assertThatThrownBy(() -> MailSettings.from(Config.of(Map.of(Setting.SMTP_TIMEOUT, "soon"))))
                .isInstanceOfSatisfying(Config.ConfigException.class, e -> assertThat(e.message(new fr.publipostage.templates.Messages(), "fr"))
                        .isEqualTo("PUBLIPOSTAGE_SMTP_TIMEOUT doit être une durée comme 500ms, 30s, 2m ou 1h, reçu « soon »"));
        MailSettings s = MailSettings.from(Config.of(Map.of(Setting.SMTP_HOST, "smtp.example.fr",
                Setting.SMTP_FROM, "ent@lycee.example.fr", Setting.SMTP_TLS, "ssl")));
        assertThat(s.sandbox()).isFalse();
        assertThat(s.effectivePort()).isEqualTo(465);
        assertThat(MailSettings.from(Config.of(Map.of(Setting.SMTP_HOST, "h", Setting.SMTP_FROM, "a@b")))
                .effectivePort()).isEqualTo(587);
        assertThat(MailSettings.from(Config.of(Map.of(Setting.SMTP_HOST, "h", Setting.SMTP_FROM, "a@b",
                Setting.SMTP_TLS, "NONE"))).effectivePort()).isEqualTo(25);
    }

    @Test
    void refusesBadValuesWithTheSettingsName() {
        assertThatThrownBy(() -> MailSettings.from(Config.of(Map.of(Setting.SMTP_TLS, "tls1.3"))))
                .hasMessageContaining("PUBLIPOSTAGE_SMTP_TLS");
        assertThatThrownBy(() -> MailSettings.from(Config.of(Map.of(Setting.MAIL_LEASE, "soon"))))
                .hasMessageContaining("PUBLIPOSTAGE_MAIL_LEASE");
        assertThatThrownBy(() -> MailSettings.from(Config.of(Map.of(Setting.SMTP_RATE, "-1"))))
                .hasMessageContaining("PUBLIPOSTAGE_SMTP_RATE");
    }

    @Test
    void aBatchLeaseOutlastsTheLongestSend() {
        // Sandbox, 30 s per reply: nine replies at most (NOOP, connect, greeting, EHLO, MAIL, RCPT, DATA, end, QUIT).
        MailSettings sandbox = MailSettings.from(Config.of(Map.of(Setting.MAIL_LEASE, "10s", Setting.SMTP_TIMEOUT, "30s")));
        assertThat(sandbox.sendDeadline()).isEqualTo(Duration.ofSeconds(270));
        assertThat(sandbox.effectiveLease()).isEqualTo(Duration.ofSeconds(272));
        // STARTTLS and a login: six replies more.
        MailSettings real = MailSettings.from(Config.of(Map.of(Setting.SMTP_HOST, "smtp.example.fr", Setting.SMTP_FROM,
                "ent@example.fr", Setting.SMTP_USER, "ent", Setting.SMTP_TIMEOUT, "10s")));
        assertThat(real.sendDeadline()).isEqualTo(Duration.ofSeconds(150));
        assertThat(real.effectiveLease()).isEqualTo(Duration.ofSeconds(152));
        // A lease set longer than needed is kept.
        MailSettings longer = MailSettings.from(Config.of(Map.of(Setting.MAIL_LEASE, "10m", Setting.SMTP_TIMEOUT, "1s")));
        assertThat(longer.effectiveLease()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theRouteNamesTheServerAndIdentityButNeverThePassword() {
        Map<Setting, String> base = Map.of(Setting.SMTP_HOST, "smtp.example.fr", Setting.SMTP_FROM, "ent@example.fr",
                Setting.SMTP_USER, "ent", Setting.SMTP_PASSWORD, "secret-1");
        String route = MailSettings.from(Config.of(base)).route();
        assertThat(route).startsWith("smtp:").hasSize(21).doesNotContain("secret");
        assertThat(MailSettings.from(Config.of(base).with(Setting.SMTP_PASSWORD, "secret-2")).route())
                .as("another password, same route").isEqualTo(route);
        for (Setting changed : java.util.List.of(Setting.SMTP_HOST, Setting.SMTP_USER, Setting.SMTP_FROM)) {
            assertThat(MailSettings.from(Config.of(base).with(changed, "other@example.org")).route())
                    .as("another " + changed).isNotEqualTo(route);
        }
        assertThat(MailSettings.from(Config.of(base).with(Setting.SMTP_PORT, "2525")).route()).isNotEqualTo(route);
        assertThat(MailSettings.from(Config.of(base).with(Setting.SMTP_TLS, "ssl")).route()).isNotEqualTo(route);
        assertThat(MailSettings.from(Config.of(Map.of())).route()).isEqualTo("sandbox");
        assertThat(MailSettings.from(Config.of(base)).routeLabel()).isEqualTo("smtp.example.fr:587 (starttls)");
    }

    @Test
    void durationsAndBackoff() {
        assertThat(fr.publipostage.Config.parseDuration("x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(fr.publipostage.Config.parseDuration("x", "45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(fr.publipostage.Config.parseDuration("x", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(fr.publipostage.Config.parseDuration("x", "1h")).isEqualTo(Duration.ofHours(1));
        MailSettings s = MailSettings.from(Config.of(Map.of(Setting.MAIL_RETRY_DELAY, "30s", Setting.MAIL_RETRY_MAX_DELAY, "5m")));
        assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.backoff(4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(s.backoff(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.backoff(50)).isEqualTo(Duration.ofMinutes(5));
    }
    @Test
    void aTrustStoreThatCannotBeUsedStopsTheStartNamingTheSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.util.function.Function<Map<Setting, String>, MailSettings> read = extra -> {
            Map<Setting, String> m = new java.util.EnumMap<>(Setting.class);
            m.put(Setting.SMTP_HOST, "smtp.example.fr");
            m.put(Setting.SMTP_FROM, "ent@lycee.example.fr");
            m.putAll(extra);
            return MailSettings.from(Config.of(m));
        };
        assertThatThrownBy(() -> read.apply(Map.of(Setting.SMTP_TRUSTSTORE, dir.resolve("missing.pem").toString())))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("PUBLIPOSTAGE_SMTP_TRUSTSTORE")
                .hasMessageContaining("cannot read");
        java.nio.file.Path junk = java.nio.file.Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThatThrownBy(() -> read.apply(Map.of(Setting.SMTP_TRUSTSTORE, junk.toString())))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("PUBLIPOSTAGE_SMTP_TRUSTSTORE");
        fr.publipostage.testing.TestCertificates cert = fr.publipostage.testing.TestCertificates.selfSigned("smtp.example.fr");
        java.nio.file.Path p12 = cert.writePkcs12(dir.resolve("s.p12"), "right-password");
        assertThatThrownBy(() -> read.apply(Map.of(Setting.SMTP_TRUSTSTORE, p12.toString(),
                Setting.SMTP_TRUSTSTORE_PASSWORD, "wrong-password")))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("PUBLIPOSTAGE_SMTP_TRUSTSTORE_PASSWORD");
        assertThat(read.apply(Map.of(Setting.SMTP_TRUSTSTORE, p12.toString(),
                Setting.SMTP_TRUSTSTORE_PASSWORD, "right-password")).trustStore()).isEqualTo(p12.toString());
        assertThat(read.apply(Map.of(Setting.SMTP_TRUSTSTORE, cert.writePem(dir.resolve("s.pem")).toString())).trustStore())
                .endsWith("s.pem");
    }
}
