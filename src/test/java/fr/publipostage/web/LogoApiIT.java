package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.Profile;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.web.WebFixture.Who;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The school's logo over HTTP (the editor page's form): a PNG upload shows on the lycée's printed
 * letters and not on the collège's, a file that is not an image or too heavy is refused in the
 * admin's language and stores nothing, an SVG's script is removed and said so, removal brings the
 * letters back without it; class teachers and other schools' admins get 403.
 */
class LogoApiIT {
    private static final String LOGO = "/api/structures/" + WebFixture.OWN + "/logo";
    private static WebFixture web;

    @BeforeAll
    static void start() {
        web = new WebFixture();
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    /** A multipart/form-data POST with one file field, as the page's FormData sends it. */
    static HttpResponse<String> upload(WebFixture.Client c, String path, String filename, String type, byte[] content) {
        String boundary = "----publipostage" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        body.writeBytes(head);
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + web.server.port() + path))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("X-CSRF-Token", c.csrf)
                    .header("Cookie", Auth.SESSION_COOKIE + "=" + c.cookie(Auth.SESSION_COOKIE))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0, 0, 145));
        g.fillOval(10, 10, width - 20, height - 20);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static JsonNode json(HttpResponse<String> r) {
        return LetterApiIT.json(r);
    }

    private static Account pendingPupil(String uai) {
        long id = web.app.structureByUai(uai).id();
        return web.app.selections().list(Selection.everyone(id), Scope.LOCAL_ADMIN).stream()
                .filter(a -> !a.activated() && a.profile() == Profile.Student).findFirst().orElseThrow();
    }

    /** Images drawn on page 1 of this pupil's printed letter (the QR code is one; the logo adds one). */
    private static int imagesOnLetter(WebFixture.Client c, String uai) throws IOException {
        HttpResponse<byte[]> pdf = c.getBytes("/api/structures/" + uai + "/letters/accounts/" + pendingPupil(uai).id());
        assertThat(pdf.statusCode()).isEqualTo(200);
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            return images(doc.getPage(0).getResources());
        }
    }

    private static int images(PDResources resources) throws IOException {
        if (resources == null) return 0;
        int n = 0;
        for (COSName name : resources.getXObjectNames()) {
            var x = resources.getXObject(name);
            if (x instanceof PDImageXObject) n++;
            else if (x instanceof PDFormXObject form) n += images(form.getResources());
        }
        return n;
    }

    @Test
    void aPngLogoPrintsOnTheLyceesLettersOnlyAndIsRemovedAgain() throws IOException {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        WebFixture.Client superAdmin = web.as(Who.SUPER);
        assertThat(json(admin.get(LOGO)).get("present").asBoolean()).isFalse();
        int before = imagesOnLetter(admin, WebFixture.OWN);
        int collegeBefore = imagesOnLetter(superAdmin, WebFixture.OTHER);

        HttpResponse<String> r = upload(admin, LOGO, "logo.png", "image/png", png(400, 160));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode logo = json(r);
        assertThat(logo.get("present").asBoolean()).isTrue();
        assertThat(logo.get("dataUri").asText()).startsWith("data:image/");
        assertThat(logo.get("width").asInt()).isEqualTo(400);
        assertThat(logo.get("message").asText()).startsWith("Logo enregistré");
        JsonNode current = json(admin.get(LOGO));
        assertThat(current.get("uploadedBy").asText()).isEqualTo(Who.LOCAL_OWN.login);
        assertThat(current.get("dataUri").asText()).isEqualTo(logo.get("dataUri").asText());

        assertThat(imagesOnLetter(admin, WebFixture.OWN)).as("the logo is drawn on the lycée's letter").isEqualTo(before + 1);
        assertThat(imagesOnLetter(superAdmin, WebFixture.OTHER)).as("the collège's letter is unchanged").isEqualTo(collegeBefore);

        HttpResponse<String> removed = admin.delete(LOGO + "?lang=en");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(json(removed).get("present").asBoolean()).isFalse();
        assertThat(json(removed).get("message").asText()).startsWith("Logo removed");
        assertThat(json(admin.get(LOGO)).get("present").asBoolean()).isFalse();
        assertThat(imagesOnLetter(admin, WebFixture.OWN)).isEqualTo(before);
        assertThat(json(admin.delete(LOGO)).get("message").asText()).startsWith("Il n’y avait pas de logo");
    }

    @Test
    void refusedFilesAreExplainedInTheAdminsLanguageAndStoreNothing() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        String other = "/api/structures/" + WebFixture.OTHER + "/logo";
        WebFixture.Client superAdmin = web.as(Who.SUPER);
        HttpResponse<String> fr = upload(superAdmin, other, "logo.png", "image/png", "pas une image".getBytes(StandardCharsets.UTF_8));
        assertThat(fr.statusCode()).as(fr.body()).isEqualTo(422);
        assertThat(json(fr).get("code").asText()).isEqualTo("logo.unsupportedFormat");
        assertThat(json(fr).get("error").asText()).startsWith("Ce fichier n’est pas une image PNG, JPEG ou SVG");
        HttpResponse<String> en = upload(superAdmin, other + "?lang=en", "logo.png", "image/png", "not an image".getBytes(StandardCharsets.UTF_8));
        assertThat(en.statusCode()).isEqualTo(422);
        assertThat(json(en).get("error").asText()).doesNotContain("Ce fichier").contains("PNG");

        byte[] heavy = new byte[600 * 1024];
        new Random(7).nextBytes(heavy);
        HttpResponse<String> tooBig = upload(superAdmin, other, "logo.png", "image/png", heavy);
        assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(422);
        assertThat(json(tooBig).get("code").asText()).isEqualTo("logo.tooBig");
        // Beyond the upload limit of the server itself: still a clear refusal, not a 500.
        byte[] huge = new byte[3 * 1024 * 1024];
        HttpResponse<String> over = upload(superAdmin, other, "logo.png", "image/png", huge);
        assertThat(over.statusCode()).as(over.body().substring(0, Math.min(300, over.body().length()))).isBetween(400, 499);

        HttpResponse<String> noFile = superAdmin.post(other, java.util.Map.of(), "X-CSRF-Token", superAdmin.csrf);
        assertThat(noFile.statusCode()).isEqualTo(422);
        assertThat(json(superAdmin.get(other)).get("present").asBoolean()).isFalse();
        assertThat(json(admin.get(LOGO)).get("present").asBoolean()).isFalse();
    }

    @Test
    void anSvgLogoLosesItsScriptAndSaysSo() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"80\" onload=\"alert(1)\">"
                + "<script>alert(2)</script><rect x=\"5\" y=\"5\" width=\"190\" height=\"70\" fill=\"#000091\"/></svg>";
        HttpResponse<String> r = upload(admin, LOGO, "logo.svg", "image/svg+xml", svg.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("removed").toString()).contains("script").contains("onload");
        assertThat(json(r).get("removedMessage").asText()).startsWith("Retiré du dessin").contains("script");
        assertThat(admin.delete(LOGO).statusCode()).isEqualTo(200);
    }

    @Test
    void classTeachersAndOtherSchoolsAdminsAreRefused() {
        WebFixture.Client teacher = web.as(Who.CLASS_TEACHER);
        assertThat(teacher.get(LOGO).statusCode()).isEqualTo(403);
        assertThat(upload(teacher, LOGO, "logo.png", "image/png", png(100, 100)).statusCode()).isEqualTo(403);
        assertThat(teacher.delete(LOGO).statusCode()).isEqualTo(403);
        WebFixture.Client other = web.as(Who.LOCAL_OTHER);
        assertThat(upload(other, LOGO, "logo.png", "image/png", png(100, 100)).statusCode()).isEqualTo(403);
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        assertThat(json(admin.get(LOGO)).get("present").asBoolean()).isFalse();
    }
}
