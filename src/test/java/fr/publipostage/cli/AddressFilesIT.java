package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.AddressImporter;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.selection.Scope;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Address files as people write them, read by {@code import-addresses} (and the web page's import). */
class AddressFilesIT {
    private static TestDatabase.Fresh db;
    private static App app;
    private static List<Account> parents;

    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        long lyceeId = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
        parents = app.selections().list(app.selections().parse(lyceeId, Map.of("profile", List.of("Relative"))), Scope.LOCAL_ADMIN);
    }

    @AfterAll
    static void close() {
        app.close();
        db.close();
    }

    /**
     * The account import reads a line starting with # as data; the address import takes it for a comment
     * and drops it without a word: the account keeps its old address and the report counts one line less.
     */
    @Test
    void aLineWhoseFirstCellStartsWithAHashIsReadNotDropped() throws Exception {
        Account a = parents.get(5);
        Account b = parents.get(6);
        String csv = "Remarque;login;address_line1;postcode;city\r\n"
                + ";" + a.login() + ";1 rue Neuve;33000;Bordeaux\r\n"
                + "#à relancer;" + b.login() + ";2 rue Neuve;33000;Bordeaux\r\n";
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        assertThat(AddressImporter.recognises(bytes)).isTrue();
        AddressImporter.Report report = app.addresses().run(new ByteArrayInputStream(bytes), DemoDirectory.LYCEE_UAI, false);
        assertThat(report.lines()).as("lines of the file read").isEqualTo(2);
    }

    /** Excel's "Texte Unicode": UTF-16 with its BOM, cells separated by tabs (found by a review: refused). */
    @Test
    void excelsUnicodeTextWithTabsIsRead() throws Exception {
        Account a = parents.get(7);
        Account b = parents.get(8);
        String tsv = "login\taddress_line1\tpostcode\tcity\r\n"
                + a.login() + "\t3 rue Neuve\t33000\tBordeaux\r\n"
                + b.login() + "\t4 rue Neuve\t33000\tBordeaux\r\n";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        out.write(tsv.getBytes(StandardCharsets.UTF_16LE));
        byte[] bytes = out.toByteArray();
        assertThat(AddressImporter.recognises(bytes)).isTrue();
        AddressImporter.Report report = app.addresses().run(new ByteArrayInputStream(bytes), DemoDirectory.LYCEE_UAI, false);
        assertThat(report.lines()).isEqualTo(2);
    }
}
