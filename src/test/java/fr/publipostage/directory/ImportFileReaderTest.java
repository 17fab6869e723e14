package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.directory.EntExport.Layout;
import fr.publipostage.directory.EntExport.Person;
import fr.publipostage.templates.Messages;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Files as the ENT or a user writes them, read by {@link ImportFileReader} alone (no database): what
 * each line gives, and how a refused file is told.
 */
class ImportFileReaderTest {
    private static final String NATIVE = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language";
    private final Messages messages = new Messages();

    private static List<StagedLine> read(byte[] file) throws Exception {
        return read(new ByteArrayInputStream(file));
    }

    private static List<StagedLine> read(InputStream file) throws Exception {
        List<StagedLine> lines = new ArrayList<>();
        ProblemList problems = new ProblemList(1000);
        new ImportFileReader(new ImportOptions(null, false, false, 20), ImportFileReader.StructureIndex.of(List.of()), problems)
                .read(file, lines::add);
        if (!problems.isEmpty()) throw problems.rejected();
        return lines;
    }

    /** A problem as the command line and the web page write it (ImportCommand.line). */
    private String french(ImportProblem p) {
        String reason = messages.get("fr", p.reason(), p.args().toArray());
        return p.line() == 0 ? reason : messages.get("fr", "import.line", p.line(), p.column(), reason);
    }

    private static EntExport pupilWithQuotes() {
        return new EntExport(Layout.DIRECTORY).add(Person.of("Élève", "Dupont \"Jojo\"", "Léa", "lea.dupont", "AB12CD34")
                .structures("0330001A - Lycée Montesquieu").classes("6e \"A\""));
    }

    @Test
    void aValueHoldingAQuoteAsEntcoreWritesItIsReadWithoutTheCellsOwnQuotes() throws Exception {
        // entcore's template quotes every cell without doubling the quotes inside ("Dupont "Jojo"").
        String text = pupilWithQuotes().text();
        assertThat(text).contains("\"Dupont \"Jojo\"\";");
        StagedLine ent = read(pupilWithQuotes().bytes()).get(0);
        // The same file saved again by Excel (quotes doubled) reads as it should: the two must agree.
        StagedLine excel = read(pupilWithQuotes().bom(false).quoteAll(false).lineEnd("\r\n").bytes(ImportText.WINDOWS_1252)).get(0);
        assertThat(excel.text(AccountColumn.LAST_NAME)).isEqualTo("Dupont \"Jojo\"");
        assertThat(excel.classes).containsExactly("6e \"A\"");

        assertThat(ent.text(AccountColumn.LAST_NAME)).as("the last name as the ENT holds it").isEqualTo("Dupont \"Jojo\"");
        assertThat(ent.classes).as("the class as the ENT holds it").containsExactly("6e \"A\"");
    }

    @Test
    void aLineOfTooManyCellsIsRefusedWithAFrenchSentenceNotAJavaException() {
        // Excel keeps empty columns a cell once used: 200 separators at the end of a line.
        String file = NATIVE + "\n0330001A;Lycée;Student;Martin;Léa;lea.martin" + ";".repeat(200) + "\n";
        assertThatThrownBy(() -> read(file.getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(ImportRejected.class, e -> {
            assertThat(e.problems()).hasSize(1);
            ImportProblem p = e.problems().get(0);
            assertThat(p.line()).isEqualTo(2);
            assertThat(french(p)).as(french(p)).doesNotContain("Exception").doesNotContainIgnoringCase("out of bounds")
                    .doesNotContainIgnoringCase("index");
        });
    }

    @Test
    void aCellOverTheLimitIsRefusedInFrenchNamingItsColumn() {
        String file = NATIVE + "\n0330001A;Lycée;Student;" + "M".repeat(5000) + ";Léa;lea.martin;;;;;;;;;\n";
        assertThatThrownBy(() -> read(file.getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(ImportRejected.class, e -> {
            assertThat(e.problems()).hasSize(1);
            ImportProblem p = e.problems().get(0);
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).as("the column of the cell too long").isEqualTo("last_name");
            assertThat(french(p)).as(french(p)).doesNotContain("exceeds").doesNotContain("parser settings");
        });
    }

    @Test
    void aFirstLineThatNeverEndsIsRefusedWithoutReadingTheWholeFile() {
        // A hostile (or binary) file without a line break: the header is looked for in the first 64 KB.
        long size = 64L << 20;
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return served[0]++ < size ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served[0] >= size) return -1;
                int n = (int) Math.min(len, size - served[0]);
                Arrays.fill(b, off, off + n, (byte) 'a');
                served[0] += n;
                return n;
            }
        };
        assertThatThrownBy(() -> read(endless)).isInstanceOfSatisfying(ImportRejected.class,
                e -> assertThat(e.problems()).extracting(ImportProblem::reason).containsExactly("import.badHeader"));
        assertThat(served[0]).as("bytes read (and held as one String) to find the header").isLessThan(4L << 20);
    }

    @Test
    void anEntSchoolCellFullOfSeparatorsIsReadInLinearTime() throws Exception {
        // "Structure(s)" is cleaned of its trailing ", " by a regex that backtracks on every space of the cell.
        String header = "\"Id\";\"Type\";\"Nom\";\"Prénom\";\"Login\";\"Structure(s)\"\n";
        String cell = "a" + ", ".repeat(2000) + "x";
        StringBuilder file = new StringBuilder(header);
        for (int i = 0; i < 500; i++) {
            file.append("\"").append(i).append("\";\"Élève\";\"Martin\";\"Léa\";\"l").append(i).append("\";\"").append(cell).append("\"\n");
        }
        byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isLessThan(3 << 20);
        long start = System.nanoTime();
        try {
            read(bytes);
        } catch (ImportRejected expected) {
            // unknown schools: refused, as it should; only the time counts here
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        // A 3,000-line school file is read, checked and written in ~8 s end to end; 2 MB of cells must take far less.
        assertThat(ms).as("ms to read 500 lines of 4 KB").isLessThan(5_000);
    }

    @Test
    void noBreakSpacesAroundACellAreTrimmedLikeSpaces() throws Exception {
        // A spreadsheet may leave a no-break space (U+00A0, U+202F in French typography) after a value:
        // kept, "lea.martin " was another account than "lea.martin" (noticed by a review).
        String file = NATIVE + "\n0330001A;Lycée;Student;\u00A0Martin\u202F;Léa;lea.martin\u00A0;;;;;;;;;\n";
        StagedLine line;
        try {
            line = read(file.getBytes(StandardCharsets.UTF_8)).get(0);
        } catch (ImportRejected e) {
            throw new AssertionError(e.problems().toString(), e);
        }
        assertThat(line.login).isEqualTo("lea.martin");
        assertThat(line.text(AccountColumn.LAST_NAME)).isEqualTo("Martin");
    }
}
