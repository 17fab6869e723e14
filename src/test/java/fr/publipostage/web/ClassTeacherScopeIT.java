package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.web.WebFixture.Who;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leak 7 of issue 10: a parent with a child in 2nde 1 (the demo class teacher's class) and another in
 * 2nde 2. The class teacher of 2nde 1 sees and prints the parent, but never the other child nor his
 * class: not in the table row, the card, the CSV, nor the letter.
 */
class ClassTeacherScopeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebFixture web;
    private static long parentId;

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture();
        String header = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language\n";
        String uai = DemoDirectory.LYCEE_UAI;
        String csv = header
                + uai + ";;Student;Vasseur-Tutelle;Inès;ines.vt;;INES2345;;Seconde;2nde 1;;;2026-09-01;\n"
                + uai + ";;Student;Vasseur-Tutelle;Octave;octave.vt;;OCTA2345;;Seconde;2nde 2;;;2026-09-01;\n"
                + uai + ";;Relative;Vasseur-Tutelle;Bérangère;berangere.vt;;PARE2345;;;;ines.vt|octave.vt;;2026-09-01;\n";
        web.app.importer().importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null);
        JsonNode rows = JSON.readTree(web.as(Who.LOCAL_OWN).get("/api/structures/" + uai
                + "/selection?profile=Relative&search-last=Vasseur-Tutelle").body()).get("rows");
        assertThat(rows).hasSize(1);
        parentId = rows.get(0).get("id").asLong();
        // The school's local admin sees both children's classes.
        assertThat(rows.get(0).get("classes").toString()).contains("2nde 1").contains("2nde 2");
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    private static String base() {
        return "/api/structures/" + DemoDirectory.LYCEE_UAI;
    }

    @Test
    void theTableRowNamesOnlyHisClasses() throws Exception {
        WebFixture.Client teacher = web.as(Who.CLASS_TEACHER);
        HttpResponse<String> r = teacher.get(base() + "/selection?profile=Relative&search-last=Vasseur-Tutelle");
        JsonNode rows = JSON.readTree(r.body()).get("rows");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("classes").toString()).contains("2nde 1").doesNotContain("2nde 2");
        // Searching or filtering by the other class does not find the parent through it.
        assertThat(JSON.readTree(teacher.get(base() + "/selection?profile=Relative&search-last=Vasseur-Tutelle&search-class=2nde 2"
                .replace(" ", "%20")).body()).get("total").asInt()).isZero();
    }

    @Test
    void theCardNamesOnlyTheChildOfHisClass() throws Exception {
        WebFixture.Client teacher = web.as(Who.CLASS_TEACHER);
        HttpResponse<String> r = teacher.get(base() + "/accounts/" + parentId);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Inès").doesNotContain("Octave").doesNotContain("2nde 2");
    }

    @Test
    void theCsvNamesOnlyHisClasses() {
        WebFixture.Client teacher = web.as(Who.CLASS_TEACHER);
        HttpResponse<String> r = teacher.get(base() + "/export.csv?profile=Relative");
        assertThat(r.statusCode()).isEqualTo(200);
        String line = r.body().lines().filter(l -> l.contains("Vasseur-Tutelle")).findFirst().orElseThrow();
        assertThat(line).contains("2nde 1").doesNotContain("2nde 2");
    }

    @Test
    void theLetterNamesOnlyTheChildOfHisClass() throws Exception {
        WebFixture.Client teacher = web.as(Who.CLASS_TEACHER);
        HttpResponse<byte[]> pdf = teacher.getBytes(base() + "/letters/accounts/" + parentId + "?layout=1");
        assertThat(pdf.statusCode()).isEqualTo(200);
        String text = text(pdf.body());
        assertThat(text).contains("Bérangère").contains("Inès").doesNotContain("Octave").doesNotContain("2nde 2");
        // The local admin's letter names both.
        HttpResponse<byte[]> full = web.as(Who.LOCAL_OWN).getBytes(base() + "/letters/accounts/" + parentId + "?layout=1");
        assertThat(text(full.body())).contains("Inès").contains("Octave");
    }

    private static String text(byte[] pdf) throws Exception {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            return new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
        }
    }
}
