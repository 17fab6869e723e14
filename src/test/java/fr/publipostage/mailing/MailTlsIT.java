package fr.publipostage.mailing;

import static fr.publipostage.mailing.MailFixture.await;
import static org.assertj.core.api.Assertions.assertThat;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.cli.Args;
import fr.publipostage.cli.MailCommand;
import fr.publipostage.testing.TestCertificates;
import fr.publipostage.testing.TestDatabase;
import fr.publipostage.testing.TlsSmtpFront;
import fr.publipostage.web.WebFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP errors an operator can act on (issue 17 §2), against GreenMail behind real TLS with a
 * certificate made by the test: an untrusted certificate, a certificate for another name and a
 * refused login pause the campaign at once with a sentence naming the setting to fix (never
 * "unreachable", no attempt charged, nothing retried); {@code PUBLIPOSTAGE_SMTP_TRUSTSTORE} (PEM or
 * PKCS#12) makes a self-signed server usable; {@code SMTP_HOST=127.0.0.1} works with an IP SAN.
 */
class MailTlsIT {
    private static final Duration SOON = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private GreenMail greenMail;
    private TlsSmtpFront front;
    private TestDatabase.Fresh db;
    private App app;
    private long structureId;

    @BeforeEach
    void setUp() {
        greenMail = MailFixture.greenMail();
        db = TestDatabase.fresh();
    }

    @AfterEach
    void tearDown() {
        if (app != null) app.mailWorker().close();
        if (front != null) front.close();
        greenMail.stop();
        db.close();
    }

    private App app(int smtpPort, Map<Setting, String> extra) throws Exception {
        Map<Setting, String> settings = MailFixture.settings(smtpPort);
        settings.put(Setting.SMTP_TIMEOUT, "3s");
        settings.put(Setting.MAIL_LEASE, "10s");
        settings.putAll(extra);
        app = db.app(settings);
        structureId = MailFixture.school(app, db, 6);
        return app;
    }

    private Campaign startTeachers() {
        Campaign c = MailFixture.start(app, MailFixture.teachers(app, structureId));
        app.mailWorker().start();
        return c;
    }

    private CampaignProgress progress(Campaign c) {
        return app.campaigns().progress(c.id());
    }

    private CampaignProgress awaitPaused(Campaign c) throws InterruptedException {
        await(SOON, "campaign paused", () -> progress(c).campaign().status() == Campaign.Status.paused);
        return progress(c);
    }

    /** Paused for the settings: nobody got a mail, nobody was charged an attempt or failed. */
    private void assertNothingSentNorCharged(Campaign c) {
        CampaignProgress p = progress(c);
        assertThat(p.counts().failed()).isZero();
        assertThat(p.counts().sent()).isZero();
        assertThat(p.counts().pending()).isEqualTo(6);
        for (Recipient r : Ledger.rows(app, c.id())) assertThat(r.attempts()).as(r.login()).isZero();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void anUntrustedCertificatePausesAtOnceNamingTheTrustStoreSetting() throws Exception {
        front = new TlsSmtpFront(TlsSmtpFront.Mode.STARTTLS, TestCertificates.selfSigned("localhost", "127.0.0.1"),
                greenMail.getSmtp().getPort());
        app(front.port(), Map.of(Setting.SMTP_TLS, "starttls"));
        Campaign c = startTeachers();
        CampaignProgress p = awaitPaused(c);

        assertThat(p.campaign().pauseProblem()).isEqualTo(SmtpProblem.UNTRUSTED);
        assertThat(p.campaign().pauseReason()).startsWith("smtp-untrusted: ").contains("PKIX").doesNotContain("unreachable");
        assertThat(app.campaigns().pauseSentence(p.campaign(), "fr"))
                .contains("PUBLIPOSTAGE_SMTP_TRUSTSTORE").contains("127.0.0.1:" + front.port());
        assertThat(app.campaigns().pauseSentence(p.campaign(), "en")).contains("PUBLIPOSTAGE_SMTP_TRUSTSTORE");
        assertNothingSentNorCharged(c);

        // The command line, run again with the same (wrong) settings: it tries, says why, exits non-zero.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new MailCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(app, "en",
                new Args(List.of("--campaign", String.valueOf(c.id())), Set.of()));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isEqualTo(3);
        assertThat(printed).contains("PUBLIPOSTAGE_SMTP_TRUSTSTORE").contains("PKIX").contains("paused");
        assertNothingSentNorCharged(c);
    }

    @Test
    void aPemTrustStoreLetsStartTlsReachAnIpAddressListedInTheCertificate() throws Exception {
        // As self-signed certificates usually are: CN=localhost, SAN DNS:localhost and IP:127.0.0.1. javax.mail's
        // own check compared DNS names only: "Can't verify identity of server: 127.0.0.1".
        TestCertificates cert = TestCertificates.selfSigned("localhost", "127.0.0.1");
        front = new TlsSmtpFront(TlsSmtpFront.Mode.STARTTLS, cert, greenMail.getSmtp().getPort());
        Path pem = cert.writePem(dir.resolve("smtp.pem"));
        app(front.port(), Map.of(Setting.SMTP_TLS, "starttls", Setting.SMTP_TRUSTSTORE, pem.toString()));
        Campaign c = startTeachers();
        await(SOON, "campaign finished", () -> progress(c).campaign().status() == Campaign.Status.finished);
        assertThat(progress(c).counts().sent()).isEqualTo(6);
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 0);
    }

    @Test
    void theSameCertificateServesTheHostByItsName() throws Exception {
        TestCertificates cert = TestCertificates.selfSigned("localhost", "127.0.0.1");
        front = new TlsSmtpFront(TlsSmtpFront.Mode.IMPLICIT, cert, greenMail.getSmtp().getPort());
        Path pem = cert.writePem(dir.resolve("smtp.pem"));
        app(front.port(), Map.of(Setting.SMTP_HOST, "localhost", Setting.SMTP_TLS, "ssl", Setting.SMTP_TRUSTSTORE, pem.toString()));
        Campaign c = startTeachers();
        await(SOON, "campaign finished", () -> progress(c).campaign().status() == Campaign.Status.finished);
        assertThat(progress(c).counts().sent()).isEqualTo(6);
    }

    @Test
    void aPkcs12TrustStoreWithItsPasswordWorksOverImplicitTls() throws Exception {
        TestCertificates cert = TestCertificates.selfSigned("localhost", "127.0.0.1");
        front = new TlsSmtpFront(TlsSmtpFront.Mode.IMPLICIT, cert, greenMail.getSmtp().getPort());
        Path p12 = cert.writePkcs12(dir.resolve("smtp.p12"), "s3cret-store");
        app(front.port(), Map.of(Setting.SMTP_TLS, "ssl", Setting.SMTP_TRUSTSTORE, p12.toString(),
                Setting.SMTP_TRUSTSTORE_PASSWORD, "s3cret-store"));
        Campaign c = startTeachers();
        await(SOON, "campaign finished", () -> progress(c).campaign().status() == Campaign.Status.finished);
        assertThat(progress(c).counts().sent()).isEqualTo(6);
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 0);
    }

    @Test
    void aCertificateForAnotherNamePausesNamingTheHostSetting() throws Exception {
        TestCertificates cert = TestCertificates.selfSigned("smtp.example.test");
        front = new TlsSmtpFront(TlsSmtpFront.Mode.IMPLICIT, cert, greenMail.getSmtp().getPort());
        Path pem = cert.writePem(dir.resolve("other.pem"));
        app(front.port(), Map.of(Setting.SMTP_TLS, "ssl", Setting.SMTP_TRUSTSTORE, pem.toString()));
        Campaign c = startTeachers();
        CampaignProgress p = awaitPaused(c);
        assertThat(p.campaign().pauseProblem()).isEqualTo(SmtpProblem.HOST_MISMATCH);
        assertThat(app.campaigns().pauseSentence(p.campaign(), "fr")).contains("PUBLIPOSTAGE_SMTP_HOST");
        assertNothingSentNorCharged(c);
    }

    @Test
    void starttlsOnAnImplicitTlsPortPausesNamingTheTlsModeAndPort() throws Exception {
        // The commonest slip: PUBLIPOSTAGE_SMTP_PORT=465 with the default mode (starttls). The server
        // waits for a TLS handshake, the client for a greeting: only a timeout tells, never "temporary".
        TestCertificates cert = TestCertificates.selfSigned("localhost", "127.0.0.1");
        front = new TlsSmtpFront(TlsSmtpFront.Mode.IMPLICIT, cert, greenMail.getSmtp().getPort());
        Path pem = cert.writePem(dir.resolve("smtp.pem"));
        app(front.port(), Map.of(Setting.SMTP_TLS, "starttls", Setting.SMTP_TIMEOUT, "1s", Setting.SMTP_TRUSTSTORE, pem.toString()));
        Campaign c = startTeachers();
        CampaignProgress p = awaitPaused(c);
        assertThat(p.campaign().pauseProblem()).isEqualTo(SmtpProblem.TLS_MODE);
        assertThat(app.campaigns().pauseSentence(p.campaign(), "fr")).contains("PUBLIPOSTAGE_SMTP_TLS").contains("PUBLIPOSTAGE_SMTP_PORT");
        assertNothingSentNorCharged(c);
    }

    @Test
    void implicitTlsOnAPlainPortPausesNamingTheTlsModeAndPort() throws Exception {
        app(greenMail.getSmtp().getPort(), Map.of(Setting.SMTP_TLS, "ssl"));
        Campaign c = startTeachers();
        CampaignProgress p = awaitPaused(c);
        assertThat(p.campaign().pauseProblem()).isEqualTo(SmtpProblem.TLS_MODE);
        assertNothingSentNorCharged(c);
    }

    @Test
    void aRefusedLoginPausesNamingUserAndPassword() throws Exception {
        greenMail.getManagers().getUserManager().setAuthRequired(true);
        greenMail.setUser("ent@sainte-anne.example.fr", "ent-lycee", "the-right-one");
        app(greenMail.getSmtp().getPort(), Map.of(Setting.SMTP_USER, "ent-lycee", Setting.SMTP_PASSWORD, "a-wrong-one"));
        Campaign c = startTeachers();
        CampaignProgress p = awaitPaused(c);
        assertThat(p.campaign().pauseProblem()).isEqualTo(SmtpProblem.LOGIN_REFUSED);
        assertThat(p.campaign().pauseReason()).contains("535");
        assertThat(app.campaigns().pauseSentence(p.campaign(), "en"))
                .contains("PUBLIPOSTAGE_SMTP_USER").contains("PUBLIPOSTAGE_SMTP_PASSWORD");
        assertNothingSentNorCharged(c);

        // Resumed by an admin with the settings still wrong: paused again at once, still nobody charged.
        app.campaigns().resume(c.id(), "admin.test");
        assertThat(progress(c).campaign().pauseReason()).isNull();
        awaitPaused(c);
        assertThat(progress(c).campaign().pauseProblem()).isEqualTo(SmtpProblem.LOGIN_REFUSED);
        assertNothingSentNorCharged(c);
    }
    @Test
    void theConsoleShowsTheSentenceOverHttp() throws Exception {
        front = new TlsSmtpFront(TlsSmtpFront.Mode.IMPLICIT, TestCertificates.selfSigned("localhost", "127.0.0.1"),
                greenMail.getSmtp().getPort());
        Map<Setting, String> settings = MailFixture.settings(front.port());
        settings.put(Setting.SMTP_TLS, "ssl");
        settings.put(Setting.SMTP_TIMEOUT, "3s");
        settings.put(Setting.MAIL_LEASE, "10s");
        try (WebFixture web = new WebFixture(settings)) {
            WebFixture.Client admin = web.as(WebFixture.Who.LOCAL_OWN);
            String base = "/api/structures/" + WebFixture.OWN + "/campaigns";
            HttpResponse<String> started = admin.post(base, Map.of("profile", "Teacher"), "X-CSRF-Token", admin.csrf);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            long id = JSON.readTree(started.body()).get("id").asLong();
            web.app.mailWorker().start();
            try {
                await(SOON, "paused over HTTP", () -> body(admin, base + "/" + id).get("status").asText().equals("paused"));
                JsonNode pause = body(admin, base + "/" + id + "?lang=en").get("pause");
                assertThat(pause.get("code").asText()).isEqualTo("smtp-untrusted");
                assertThat(pause.get("message").asText()).startsWith("Sending paused").contains("PUBLIPOSTAGE_SMTP_TRUSTSTORE");
                assertThat(pause.get("settings").toString()).contains("PUBLIPOSTAGE_SMTP_TRUSTSTORE");
                assertThat(body(admin, base + "/" + id + "?lang=fr").get("pause").get("message").asText())
                        .startsWith("Envoi en pause").contains("PUBLIPOSTAGE_SMTP_TRUSTSTORE");
                assertThat(body(admin, base + "/" + id).get("counts").get("failed").asInt()).isZero();
            } finally {
                web.app.mailWorker().close();
            }
        }
    }

    private static JsonNode body(WebFixture.Client c, String path) {
        try {
            return JSON.readTree(c.get(path).body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
