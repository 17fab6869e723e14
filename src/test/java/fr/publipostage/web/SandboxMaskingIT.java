package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.Setting;
import fr.publipostage.directory.Account;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.selection.Scope;
import fr.publipostage.web.WebFixture.Who;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Found by a review. With PUBLIPOSTAGE_TOTP_REQUIRED=true the sandbox mailbox masks activation codes
 * until a fresh code is typed — but the mask was a plain {@code String.replace} of the code as stored.
 * A mail template may print the code in any other form (templates may call substring, toLowerCase,
 * concat…): printed in two pieces, every code could be read in the "masked" sandbox by a session
 * without the second factor.
 */
class SandboxMaskingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebFixture web;
    private static Set<String> teacherCodes;

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(Map.of(Setting.TOTP_REQUIRED, "true", Setting.MAIL_BATCH, "200"));
        long structure = web.app.structureByUai(WebFixture.OWN).id();
        teacherCodes = web.app.selections().list(web.app.selections().parse(structure, Map.of("profile", List.of("Teacher"))),
                Scope.LOCAL_ADMIN).stream().map(Account::activationCode).filter(c -> c != null).collect(Collectors.toSet());
        assertThat(teacherCodes).isNotEmpty();

        // The real admin enrols his authenticator (his session is fresh from now on).
        WebFixture.Client owner = web.as(Who.LOCAL_OWN);
        Matcher m = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(owner.get("/account/totp").body());
        assertThat(m.find()).isTrue();
        assertThat(owner.postForm("/account/totp", Map.of("code", SecondFactor.codeAt(m.group(1), Instant.now())))
                .statusCode()).isEqualTo(303);

        // The plain-text part prints the code in pieces too (saved by the admin himself: changing a
        // template asks for the second factor now, CodeMaskingIT; the mask must hold whatever a template says).
        WebFixture.Client stolen = owner;
        String original = Files.readString(Path.of("templates", "mail-activation.txt.vm"));
        String edited = original.replace("$msg.get('mail.activationCodeLine', $account.activationCode)",
                "$msg.get('mail.activationCodeLine', $account.activationCode)\n"
                        + "  ref: $account.activationCode.substring(0, 1)|$account.activationCode.substring(1)");
        assertThat(edited).isNotEqualTo(original);
        HttpResponse<String> saved = stolen.post("/api/structures/" + WebFixture.OWN + "/templates/mail-activation.txt.vm",
                Map.of("text", edited), "X-CSRF-Token", stolen.csrf);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);

        // Later the real admin sends the teachers their codes (sandbox), with his fresh code.
        HttpResponse<String> started = owner.post("/api/structures/" + WebFixture.OWN + "/campaigns",
                Map.of("profile", "Teacher", "activation", "pending"), "X-CSRF-Token", owner.csrf);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        long id = JSON.readTree(started.body()).get("id").asLong();
        while (!web.app.campaigns().progress(id).campaign().isOver()) web.app.mailWorker().runOnce();
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    @Test
    void theSandboxMasksTheCodesWhateverFormTheTemplatePrintsThemIn() {
        WebFixture.Client stolen = web.as(Who.LOCAL_OWN);
        HttpResponse<String> list = stolen.get("/api/structures/" + WebFixture.OWN + "/sandbox?limit=200");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"codesMasked\":true");
        // The codes as the template printed them, put back together by the reader.
        String joined = list.body().replace("|", "");
        for (String code : teacherCodes) {
            assertThat(joined).as("activation code " + code + " readable without a second factor").doesNotContain(code);
        }
    }
}
