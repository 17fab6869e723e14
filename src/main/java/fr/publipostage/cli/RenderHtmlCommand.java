package fr.publipostage.cli;

import fr.publipostage.letters.Fonts;
import fr.publipostage.letters.PdfRenderer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code render-html IN.xhtml OUT.pdf}: the bare engine on any XHTML file (the peer benchmark's
 * entry). Starts nothing else: no settings beyond the defaults, no database, no App.
 */
public final class RenderHtmlCommand {
    public int run(List<String> args) throws IOException {
        if (args.size() != 2) throw new CliError("usage: render-html IN.xhtml OUT.pdf");
        Path in = Path.of(args.get(0));
        Path out = Path.of(args.get(1));
        if (!Files.isRegularFile(in)) throw new CliError("file not found: " + in);
        PdfRenderer renderer = new PdfRenderer(new Fonts());
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            renderer.renderFile(in, os);
        }
        return 0;
    }
}
