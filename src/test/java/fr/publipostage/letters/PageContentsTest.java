package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.junit.jupiter.api.Test;

/** Empty artifact sequences go (with their property lists); everything else stays, byte for byte. */
class PageContentsTest {
    @Test
    void dropsEmptyArtifactsNestedOnesToo() throws IOException {
        String content = """
                q
                /Artifact /Prop1 BDC
                EMC
                /Artifact /Prop2 BDC
                /Artifact /Prop3 BDC
                EMC
                EMC
                /Span <</MCID 0>> BDC
                BT
                /F1 10 Tf
                <0012> Tj
                ET
                EMC
                Q
                """;
        Page page = page(content, "Prop1", "Prop2", "Prop3");
        PageContents.finish(page.page);
        assertThat(page.content()).isEqualTo("""
                q
                /Span <</MCID 0>> BDC
                BT
                /F1 10 Tf
                <0012> Tj
                ET
                EMC
                Q
                """);
        assertThat(page.properties().keySet()).isEmpty();
        assertThat(page.stream().getFilters()).isEqualTo(COSName.FLATE_DECODE);
    }

    @Test
    void keepsArtifactsThatPaintAndTheirPropertyLists() throws IOException {
        String content = """
                /Artifact /Prop1 BDC
                0.5 g
                0 0 10 10 re
                f
                EMC
                /Artifact /Prop2 BDC
                /Artifact /Prop3 BDC
                EMC
                1 0 0 1 5 5 cm
                EMC
                """;
        Page page = page(content, "Prop1", "Prop2", "Prop3");
        PageContents.finish(page.page);
        assertThat(page.content()).isEqualTo("""
                /Artifact /Prop1 BDC
                0.5 g
                0 0 10 10 re
                f
                EMC
                /Artifact /Prop2 BDC
                1 0 0 1 5 5 cm
                EMC
                """);
        assertThat(page.properties().keySet()).containsExactlyInAnyOrder(COSName.getPDFName("Prop1"),
                COSName.getPDFName("Prop2"));
    }

    @Test
    void aPropertyListNamedAgainIsKept() throws IOException {
        // The same dictionary added twice gets one name (PDResources.add finds it): the painting use keeps it.
        String content = """
                /Artifact /Prop1 BDC
                EMC
                /Artifact /Prop1 BDC
                0 0 1 1 re
                f
                EMC
                """;
        Page page = page(content, "Prop1");
        PageContents.finish(page.page);
        assertThat(page.content()).isEqualTo("""
                /Artifact /Prop1 BDC
                0 0 1 1 re
                f
                EMC
                """);
        assertThat(page.properties().keySet()).containsExactly(COSName.getPDFName("Prop1"));
    }

    @Test
    void onlyBackgroundAndPaginationArtifactsWithoutMcidGo() throws IOException {
        String content = """
                /Artifact /Layout1 BDC
                EMC
                /Span /Marked1 BDC
                EMC
                /Artifact /Pagination1 BDC
                EMC
                BT
                (/Artifact /Prop9 BDC) Tj
                ET
                """;
        Page page = page(content);
        COSDictionary layout = new COSDictionary();
        layout.setItem(COSName.TYPE, COSName.getPDFName("Layout"));
        page.properties().setItem(COSName.getPDFName("Layout1"), layout);
        COSDictionary marked = new COSDictionary();
        marked.setInt(COSName.MCID, 3);
        page.properties().setItem(COSName.getPDFName("Marked1"), marked);
        COSDictionary pagination = new COSDictionary();
        pagination.setItem(COSName.TYPE, COSName.getPDFName("Pagination"));
        page.properties().setItem(COSName.getPDFName("Pagination1"), pagination);
        PageContents.finish(page.page);
        assertThat(page.content()).isEqualTo("""
                /Artifact /Layout1 BDC
                EMC
                /Span /Marked1 BDC
                EMC
                BT
                (/Artifact /Prop9 BDC) Tj
                ET
                """);
        assertThat(page.properties().keySet()).containsExactlyInAnyOrder(COSName.getPDFName("Layout1"),
                COSName.getPDFName("Marked1"));
    }

    @Test
    void aCompressedStreamIsLeftAsItIs() throws IOException {
        Page page = page("/Artifact /Prop1 BDC\nEMC\n", "Prop1");
        try (OutputStream os = page.stream().createOutputStream(COSName.FLATE_DECODE)) {
            os.write("/Artifact /Prop1 BDC\nEMC\n".getBytes(StandardCharsets.US_ASCII));
        }
        PageContents.finish(page.page);
        assertThat(page.content()).isEqualTo("/Artifact /Prop1 BDC\nEMC\n");
        assertThat(page.properties().keySet()).hasSize(1);
    }

    /** A page whose content is {@code content}, uncompressed, with background artifacts named {@code names}. */
    private static Page page(String content, String... names) throws IOException {
        PDDocument doc = new PDDocument();
        PDPage page = new PDPage();
        doc.addPage(page);
        COSStream stream = doc.getDocument().createCOSStream();
        try (OutputStream os = stream.createOutputStream()) {
            os.write(content.getBytes(StandardCharsets.US_ASCII));
        }
        page.getCOSObject().setItem(COSName.CONTENTS, stream);
        PDResources resources = new PDResources();
        COSDictionary properties = new COSDictionary();
        resources.getCOSObject().setItem(COSName.PROPERTIES, properties);
        page.setResources(resources);
        for (String name : names) {
            COSDictionary artifact = new COSDictionary();
            artifact.setItem(COSName.TYPE, COSName.BACKGROUND);
            COSArray box = new COSArray();
            box.add(COSInteger.ZERO);
            box.add(COSInteger.ZERO);
            box.add(new COSFloat(595.275f));
            box.add(new COSFloat(841.875f));
            artifact.setItem(COSName.BBOX, box);
            properties.setItem(COSName.getPDFName(name), artifact);
        }
        return new Page(page);
    }

    private record Page(PDPage page) {
        COSStream stream() {
            return (COSStream) page.getCOSObject().getDictionaryObject(COSName.CONTENTS);
        }

        COSDictionary properties() {
            return page.getCOSObject().getCOSDictionary(COSName.RESOURCES).getCOSDictionary(COSName.PROPERTIES);
        }

        String content() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (InputStream in = page.getContents()) {
                in.transferTo(all);
            }
            return all.toString(StandardCharsets.US_ASCII);
        }
    }
}
