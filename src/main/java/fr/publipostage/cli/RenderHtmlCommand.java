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
 * runs the work in a child JVM tuned for a short batch ({@link #CHILD_FLAGS}): C1 only; the throughput
 * collector (ParallelGC: both cores collect, where the serial collector stopped both render threads
 * for one) with a 128 MB young generation (as fast as its own sizing, 150 MB less memory); its heap on
 * transparent huge pages where the kernel gives them on request (each fresh 4 KB page costs a fault:
 * letters-1000 took ~140,000). Classes come ready from an ahead-of-time cache when {@code mvn package}
 * found a JDK 24+ to write one ({@link AotCache}), otherwise from the class-data archive
 * {@code publipostage.jar.jsa} beside the jar; without either the child runs without. bench/README.md
 * has the measurements. {@code PUBLIPOSTAGE_RENDER_FORK=false}
 * keeps everything in this JVM.
 */
public final class RenderHtmlCommand {
    static final String INNER = "publipostage.render.inner";
    /** The child's tuning, also given to the runs that write its ahead-of-time cache and class-data archive. */
    static final List<String> CHILD_FLAGS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC", "-Xmn128m", "-Xss2m");
    /** A class-data archive that does not match this JVM is skipped: keep that quiet. */
    static final List<String> QUIET_ARCHIVE = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final Path HUGE_PAGE_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    public int run(List<String> args) throws IOException, InterruptedException {
        if (args.size() != 2) throw CliError.of("cli.error.usageRender");
        Path in = Path.of(args.get(0));
        Path out = Path.of(args.get(1));
        if (!Files.isRegularFile(in)) throw CliError.of("cli.error.fileNotFound", in);
        CliFiles.output(out);
        Optional<List<String>> child = childCommand(args);
        if (child.isPresent()) {
            Process p = new ProcessBuilder(child.get()).inheritIO().start();
            return p.waitFor();
        }
        // The bare engine of the peer benchmark: untagged, like the files it is compared on.
        PdfRenderer renderer = new PdfRenderer(new Fonts(), false);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            renderer.renderFile(in, os);
        } catch (PdfRenderer.NotWellFormed e) {
            Files.deleteIfExists(out);
            throw CliError.of("cli.error.notWellFormed", in, e.line(), e.column(), e.reason());
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
            String hugePageMode = Files.isReadable(HUGE_PAGE_MODE) ? Files.readString(HUGE_PAGE_MODE) : "";
            return Optional.of(childCommand(jar, java.get(), hugePageMode, args));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * The child's command line for this jar: the JDK that wrote a fresh ahead-of-time cache beside it,
     * with that cache, or else {@code currentJava} with the class-data archive if it is fresh.
     * {@code hugePageMode} is the kernel's transparent huge page setting ("always [madvise] never").
     */
    static List<String> childCommand(Path jar, String currentJava, String hugePageMode, List<String> args)
            throws IOException {
        Optional<AotCache> aot = AotCache.besideJar(jar).filter(AotCache::usable);
        List<String> flags = new ArrayList<>();
        // With "never" the JVM would warn and go on without; with "always" the heap gets them anyway.
        if (hugePageMode.contains("[madvise]")) flags.add("-XX:+UseTransparentHugePages");
        if (aot.isPresent()) {
            flags.addAll(aot.get().useFlags());
        } else {
            Path archive = archiveFile(jar);
            if (AotCache.newerThan(archive, jar)) {
                flags.add("-XX:SharedArchiveFile=" + archive);
                flags.addAll(QUIET_ARCHIVE);
            }
        }
        return childLine(aot.map(AotCache::java).map(Path::toString).orElse(currentJava), flags, jar, args);
    }

    /** The class-data archive the child uses when no ahead-of-time cache is usable. */
    static Path archiveFile(Path jar) {
        return jar.resolveSibling(jar.getFileName() + ".jsa");
    }

    /**
     * The child's command line: {@code java}, its tuning, then {@code flags} (the archive or cache it
     * reads or writes). Also the training runs that write them ({@link AotCache}, {@link ClassDataArchive}),
     * so an archive is always written by the same tuning that reads it.
     */
    static List<String> childLine(String java, List<String> flags, Path jar, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(CHILD_FLAGS);
        cmd.addAll(flags);
        cmd.add("-D" + INNER + "=1");
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add("fr.publipostage.Main");
        cmd.add("render-html");
        cmd.addAll(args);
        return cmd;
    }
}
