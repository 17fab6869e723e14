package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.Profile;
import java.awt.image.BufferedImage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The activation QR code reads from the printed page as a phone would see it: every page of layouts 1, 2
 * and 8 rasterised at 150 dpi by PDFBox, whole (not cropped), decoded by ZXing; each page gives exactly
 * the activation links of its pending accounts, the longest logins included. The code is vector cells:
 * no page holds an image.
 */
class QrDecodingTest {
    static final ExecutorService POOL = Letters.pool(2);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Synthetic accounts, every third activated, and two with the longest logins an ENT gives. */
    static List<Account> accounts() {
        List<Account> accounts = new ArrayList<>(Letters.accounts(22, false));
        for (int i = 0; i < 2; i++) {
            String login = "marie-christine-anne-sophie.de-la-tour-d-auvergne-lauraguais" + (i + 1);
            accounts.add(i * 7, new Account(5000 + i, 1, Profile.Relative, "De La Tour d'Auvergne-Lauraguais",
                    "Marie-Christine", login, null, "ZZZZ9999", false, null, "Terminale", List.of("Tle G2"),
                    List.of(), List.of("Anne De La Tour d'Auvergne"), false, LocalDate.of(2025, 9, 1), null));
        }
        return accounts;
    }

    static String activationLink(Account a) {
        return Letters.SCHOOL.entUrl() + "/auth/activation?login=" + URLEncoder.encode(a.login(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    void everyPageGivesTheActivationLinksOfItsPendingAccounts(int layout) throws Exception {
        List<Account> accounts = accounts();
        byte[] pdf = LetterEngineTest.print(Letters.engine(POOL, 2, 50), LetterEngineTest.selection(layout, false, false),
                accounts);
        int perPage = layout;
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).isEqualTo((accounts.size() + perPage - 1) / perPage);
            PDFRenderer renderer = new PDFRenderer(doc);
            for (int p = 0; p < doc.getNumberOfPages(); p++) {
                List<String> expected = new ArrayList<>();
                for (Account a : accounts.subList(p * perPage, Math.min(accounts.size(), (p + 1) * perPage))) {
                    if (!a.activated()) expected.add(activationLink(a));
                }
                BufferedImage image = renderer.renderImageWithDPI(p, 150, ImageType.RGB);
                List<String> decoded = decode(image);
                Collections.sort(expected);
                Collections.sort(decoded);
                assertThat(decoded).as("layout %d, page %d", layout, p + 1).isEqualTo(expected);
                assertThat(images(doc.getPage(p))).as("the QR code is vector cells, not an image").isZero();
            }
        }
    }

    @Test
    void theCodeHasItsFourModuleQuietZone() {
        var m = new fr.publipostage.templates.QrCodes().matrix("https://ent.example.fr/auth/activation?login=a.b");
        for (int i = 0; i < m.getWidth(); i++) {
            for (int k = 0; k < 4; k++) {
                assertThat(m.get(i, k)).isFalse();
                assertThat(m.get(k, i)).isFalse();
                assertThat(m.get(i, m.getHeight() - 1 - k)).isFalse();
                assertThat(m.get(m.getWidth() - 1 - k, i)).isFalse();
            }
        }
        assertThat(m.get(4, 4)).as("the finder pattern starts right after the quiet zone").isTrue();
    }

    static List<String> decode(BufferedImage image) throws Exception {
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
        try {
            Result[] results = new QRCodeMultiReader().decodeMultiple(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
            List<String> texts = new ArrayList<>();
            for (Result r : results) texts.add(r.getText());
            return texts;
        } catch (NotFoundException e) {
            return new ArrayList<>();
        }
    }

    static int images(PDPage page) throws Exception {
        int n = 0;
        for (COSName name : page.getResources().getXObjectNames()) {
            if (page.getResources().isImageXObject(name)) n++;
        }
        return n;
    }
}
