package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitMatrix;
import fr.publipostage.templates.QrCodes;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rectangles a QR code is drawn with cover its dark modules exactly: each once, no light one. */
class QrCodeDrawerTest {
    @Test
    void rectanglesCoverEveryDarkModuleOnceOfRealCodes() {
        QrCodes codes = new QrCodes();
        for (String text : List.of("https://ent.example.fr/", "https://ent.example.fr/auth/activation?login=marie-cl%C3%A9mence.de-la-fontaine-dupont",
                "x".repeat(300))) {
            BitMatrix m = codes.matrix(text);
            int[][] covered = coverage(m);
            assertExact(m, covered);
            // Merging runs down the rows makes fewer rectangles than one per row run.
            assertThat(QrCodeDrawer.rectangles(m).size()).isLessThan(rowRuns(m));
        }
    }

    @Test
    void rectanglesCoverEveryDarkModuleOnceOfRandomMatrices() {
        Random random = new Random(42);
        for (int n = 0; n < 200; n++) {
            int w = 1 + random.nextInt(40);
            int h = 1 + random.nextInt(40);
            BitMatrix m = new BitMatrix(w, h);
            double density = random.nextDouble();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) if (random.nextDouble() < density) m.set(x, y);
            }
            assertExact(m, coverage(m));
        }
    }

    private static int[][] coverage(BitMatrix m) {
        int[][] covered = new int[m.getHeight()][m.getWidth()];
        for (int[] r : QrCodeDrawer.rectangles(m)) {
            assertThat(r[2]).isPositive();
            assertThat(r[3]).isPositive();
            for (int y = r[1]; y < r[1] + r[3]; y++) {
                for (int x = r[0]; x < r[0] + r[2]; x++) covered[y][x]++;
            }
        }
        return covered;
    }

    private static void assertExact(BitMatrix m, int[][] covered) {
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                assertThat(covered[y][x]).as("module %d,%d", x, y).isEqualTo(m.get(x, y) ? 1 : 0);
            }
        }
    }

    private static int rowRuns(BitMatrix m) {
        int runs = 0;
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) if (m.get(x, y) && (x == 0 || !m.get(x - 1, y))) runs++;
        }
        return runs;
    }
}
