package fr.publipostage.letters;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Saving one freshly rendered tagged chunk: PDFBox's {@code save(NO_COMPRESSION)} against
 * {@link PartWriter}, alternated, thread CPU time of the save alone (steady on a shared machine). The
 * chunk: an XHTML file (e.g. the peer benchmark's letters-100.html) laid out and drawn tagged.
 * {@code BENCH_MAIN=fr.publipostage.letters.PartSaveBench bash bench/letters.sh FILE.xhtml [REPS]}
 */
public final class PartSaveBench {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path file = Path.of(args[0]).toAbsolutePath();
        Fonts fonts = new Fonts();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long[] total = new long[2];
        int[] counted = new int[2];
        for (int r = 0; r < reps; r++) {
            int way = r % 2;
            try (PDDocument doc = new PDDocument()) {
                com.openhtmltopdf.pdfboxout.PdfRendererBuilder b = new com.openhtmltopdf.pdfboxout.PdfRendererBuilder();
                b.usePDDocument(doc);
                b.useFastMode();
                b.usePdfUaAccessibility(true);
                fonts.forDocument(doc).registerAll(b);
                b.withFile(file.toFile());
                try (com.openhtmltopdf.pdfboxout.PdfBoxRenderer renderer = b.buildPdfRenderer()) {
                    renderer.layout();
                    renderer.createPDFWithoutClosing();
                    long t0 = cpu.getCurrentThreadCpuTime();
                    OutputStream out = OutputStream.nullOutputStream();
                    if (way == 0) doc.save(out, CompressParameters.NO_COMPRESSION);
                    else PartWriter.save(doc, out);
                    long t = cpu.getCurrentThreadCpuTime() - t0;
                    System.out.printf("%s: %d pages, %.1f ms CPU%n", way == 0 ? "PDDocument.save" : "PartWriter.save",
                            doc.getNumberOfPages(), t / 1e6);
                    if (r >= 2) {
                        total[way] += t;
                        counted[way]++;
                    }
                }
            }
        }
        System.out.printf("PDDocument.save: %.1f ms CPU per fresh tagged chunk; PartWriter.save: %.1f ms (x%.2f); load %.1f%n",
                total[0] / 1e6 / counted[0], total[1] / 1e6 / counted[1], (double) total[0] / counted[0] / (total[1] / counted[1]),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
