package fr.publipostage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code render-html} child's class-data archive ({@code publipostage.jar.jsa}, Java 17's
 * dynamic AppCDS), its fallback when no ahead-of-time cache is usable ({@link AotCache}). Written at
 * {@code mvn package} by one training run of the child with the child's own tuning
 * ({@link RenderHtmlCommand#childLine}), on the JDK that runs the build, which is the one
 * {@code java -jar} then finds on the same machine; an archive of another JDK is skipped quietly.
 */
final class ClassDataArchive {
    private ClassDataArchive() {
    }

    static List<String> trainingRun(String java, Path jar, Path sample, Path out) {
        List<String> flags = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + RenderHtmlCommand.archiveFile(jar)));
        flags.addAll(RenderHtmlCommand.QUIET_ARCHIVE);
        return RenderHtmlCommand.childLine(java, flags, jar, List.of(sample.toString(), out.toString()));
    }

    /** {@code JAR SAMPLE.xhtml OUT.pdf}: fails the build when the sample does not render (the child is broken). */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path jar = Path.of(args[0]).toRealPath();
        Files.deleteIfExists(RenderHtmlCommand.archiveFile(jar));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int exit = new ProcessBuilder(trainingRun(java, jar, Path.of(args[1]), Path.of(args[2]))).inheritIO().start().waitFor();
        if (exit != 0) {
            System.err.println("render-html: the training run for the class-data archive failed (exit " + exit + ")");
            System.exit(exit);
        }
    }
}
