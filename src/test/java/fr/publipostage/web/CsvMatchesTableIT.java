package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.publipostage.web.WebFixture.Who;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One selection, one query: for random combinations of filters, sort, search and column order,
 * the CSV holds exactly the accounts of the check table, in the same order, for every role.
 */
class CsvMatchesTableIT {
    private static final String[] PROFILES = {"Student", "Relative", "Teacher", "Personnel", "Guest"};
    private static final String[] LEVELS = {"Seconde", "Première", "Terminale"};
    private static final String[] CLASSES = {"2nde 1", "2nde 2", "1re 3", "Tle 4", "Tle 8"};
    private static final String[] SEARCHES = {"a", "é", "mar", "le", "ro"};
    private static final String[] ORDERS = {"lastName", "firstName", "profile", "login", "activationCode", "email", "classes", "createdAt"};

    private static WebFixture web;

    @BeforeAll
    static void start() {
        web = new WebFixture();
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    @Test
    void csvAndTableHoldTheSameAccountsForRandomSelections() {
        Random random = new Random(20260901L);
        List<WebFixture.Client> clients = List.of(web.as(Who.LOCAL_OWN), web.as(Who.SUPER), web.as(Who.CLASS_TEACHER));
        int nonEmpty = 0;
        for (int round = 0; round < 40; round++) {
            String query = randomQuery(random);
            WebFixture.Client client = clients.get(round % clients.size());
            List<JsonNode> rows = SelectionApiIT.allRows(client, query);
            List<String> table = new ArrayList<>();
            for (JsonNode r : rows) table.add(r.get("lastName").asText() + "|" + r.get("firstName").asText() + "|" + r.get("login").asText());

            String csv = new String(client.getBytes("/api/structures/" + WebFixture.OWN + "/export.csv?" + query).body(),
                    StandardCharsets.UTF_8);
            List<String> fromCsv = new ArrayList<>();
            String[] lines = csv.substring(1).split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                String[] cells = lines[i].substring(1, lines[i].length() - 1).split("\";\"", -1);
                fromCsv.add(cells[0].replace("\"\"", "\"") + "|" + cells[1].replace("\"\"", "\"") + "|" + cells[3]);
            }
            assertThat(fromCsv).as("round " + round + " as client " + round % 3 + ": " + query).isEqualTo(table);
            if (!table.isEmpty()) nonEmpty++;
        }
        assertThat(nonEmpty).as("the random selections are not all empty").isGreaterThan(10);
    }

    private static String randomQuery(Random r) {
        StringJoiner q = new StringJoiner("&");
        if (r.nextInt(3) == 0) q.add("profile=" + PROFILES[r.nextInt(PROFILES.length)]);
        if (r.nextInt(4) == 0) q.add("profile=" + PROFILES[r.nextInt(PROFILES.length)]);
        if (r.nextInt(4) == 0) q.add("level=" + SelectionApiIT.enc(LEVELS[r.nextInt(LEVELS.length)]));
        if (r.nextInt(4) == 0) q.add("class=" + SelectionApiIT.enc(CLASSES[r.nextInt(CLASSES.length)]));
        if (r.nextInt(3) == 0) q.add("activation=" + (r.nextBoolean() ? "pending" : "activated"));
        if (r.nextInt(3) == 0) q.add("email=" + (r.nextBoolean() ? "with" : "without"));
        if (r.nextInt(6) == 0) q.add("local-admin=" + (r.nextBoolean() ? "yes" : "no"));
        if (r.nextInt(4) == 0) q.add("created-after=" + (2024 + r.nextInt(3)) + "-09-01");
        if (r.nextInt(5) == 0) q.add("created-before=2026-09-15");
        switch (r.nextInt(4)) {
            case 0 -> q.add("sort=class");
            case 1 -> q.add("sort=profile,class");
            case 2 -> q.add("sort=class,profile");
            default -> { }
        }
        if (r.nextInt(3) == 0) q.add("search-last=" + SelectionApiIT.enc(SEARCHES[r.nextInt(SEARCHES.length)]));
        if (r.nextInt(5) == 0) q.add("search-class=" + SelectionApiIT.enc(r.nextBoolean() ? "2nde" : "1"));
        if (r.nextInt(3) == 0) q.add("order=" + ORDERS[r.nextInt(ORDERS.length)] + (r.nextBoolean() ? ":desc" : ""));
        return q.toString();
    }
}
