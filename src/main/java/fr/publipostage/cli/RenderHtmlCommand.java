package fr.publipostage.cli;

import fr.publipostage.letters.Fonts;
import fr.publipostage.letters.PdfRenderer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code render-html IN.xhtml OUT.pdf}: the bare engine on any XHTML file (the peer benchmark's
 * entry). Starts nothing else: no settings, no database, no App.
 *
 * <p>A one-shot run spends more CPU compiling (C2) than rendering, so when started from the jar it
 * runs the work in a child JVM tuned for a short batch: C1 only ({@code -XX:TieredStopAtLevel=1}), the
 * throughput collector (ParallelGC: both cores collect, where the serial collector stopped both render
 * threads for one; letters-1000: wall ×0.92–0.93, CPU ×1.02, peak RSS 335 → 523 MB, bench/README.md),
 * and the application class-data archive {@code publipostage.jar.jsa} beside the jar (written by
 * {@code mvn package}; without it the child runs without). {@code PUBLIPOSTAGE_RENDER_FORK=false}
 * keeps everything in this JVM.
 */
public final class RenderHtmlCommand {
    static final String INNER = "publipostage.render.inner";

    public int run(List<String> args) throws IOException, InterruptedException {
        if (args.size() != 2) throw CliError.of("cli.error.usageRender");
        Path in = Path.of(args.get(0));
        Path out = Path.of(args.get(1));
        if (!Files.isRegularFile(in)) throw CliError.of("cli.error.fileNotFound", in);
        Optional<List<String>> child = childCommand(args);
        if (child.isPresent()) {
            Process p = new ProcessBuilder(child.get()).inheritIO().start();
            return p.waitFor();
        }
        // The bare engine of the peer benchmark: untagged, like the files it is compared on.
        PdfRenderer renderer = new PdfRenderer(new Fonts(), false);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            renderer.renderFile(in, os);
        }
        return 0;
    }

    /** The child JVM's command line, when this JVM runs from the jar and was not itself forked. */
    static Optional<List<String>> childCommand(List<String> args) {
        if (System.getProperty(INNER) != null || "false".equalsIgnoreCase(System.getenv("PUBLIPOSTAGE_RENDER_FORK"))) {
            return Optional.empty();
        }
        try {
            Path jar = Path.of(RenderHtmlCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toRealPath();
            Optional<String> java = ProcessHandle.current().info().command();
            if (!jar.toString().endsWith(".jar") || java.isEmpty()) return Optional.empty();
            List<String> cmd = new ArrayList<>();
            cmd.add(java.get());
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-XX:+UseParallelGC");
            cmd.add("-Xss2m");
            Path archive = jar.resolveSibling(jar.getFileName() + ".jsa");
            if (Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                cmd.add("-XX:SharedArchiveFile=" + archive);
                cmd.add("-Xlog:cds=off");
                cmd.add("-Xlog:cds+dynamic=off");
            }
            cmd.add("-D" + INNER + "=1");
            cmd.add("-cp");
            cmd.add(jar.toString());
            cmd.add("fr.publipostage.Main");
            cmd.add("render-html");
            cmd.addAll(args);
            return Optional.of(cmd);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
