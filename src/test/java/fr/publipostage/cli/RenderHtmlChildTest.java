package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The render-html child's command line: which JDK, which class archive, which heap pages. */
class RenderHtmlChildTest {
    private static final List<String> ARGS = List.of("in.xhtml", "out.pdf");
    private static final String MADVISE = "always [madvise] never\n";
    private static final Instant JAR_TIME = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir Path dir;
    Path jar;

    @BeforeEach
    void jar() throws IOException {
        jar = Files.writeString(dir.resolve("publipostage.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(JAR_TIME));
    }

    @Test
    void freshAheadOfTimeCacheRunsOnTheJdkThatWroteIt() throws IOException {
        Path jdk25 = jdk("jdk-25", "25.0.3");
        writtenAfterJar("publipostage.jar.jsa", "archive");
        writtenAfterJar("publipostage.jar.aot", "cache");
        writtenAfterJar("publipostage.jar.aot.java", jdk25.resolve("bin/java") + "\n");

        List<String> cmd = RenderHtmlCommand.childCommand(jar, "/jdk17/bin/java", MADVISE, ARGS);

        assertThat(cmd.get(0)).isEqualTo(jdk25.resolve("bin/java").toString());
        assertThat(cmd).contains("-XX:AOTCache=" + dir.resolve("publipostage.jar.aot"), "-XX:TieredStopAtLevel=1",
                "-XX:+UseParallelGC", "-XX:+UseTransparentHugePages");
        assertThat(cmd).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
        assertThat(cmd.subList(cmd.size() - 4, cmd.size()))
                .containsExactly("fr.publipostage.Main", "render-html", "in.xhtml", "out.pdf");
    }

    @Test
    void staleOrOrphanCacheFallsBackToTheClassDataArchive() throws IOException {
        Path jdk25 = jdk("jdk-25", "25.0.3");
        writtenAfterJar("publipostage.jar.jsa", "archive");
        Path cache = writtenAfterJar("publipostage.jar.aot", "cache");
        Path javaFile = writtenAfterJar("publipostage.jar.aot.java", jdk25.resolve("bin/java") + "\n");

        Files.setLastModifiedTime(cache, FileTime.from(JAR_TIME.minusSeconds(60)));
        assertFallsBack(RenderHtmlCommand.childCommand(jar, "/jdk17/bin/java", MADVISE, ARGS));

        Files.setLastModifiedTime(cache, FileTime.from(JAR_TIME.plusSeconds(60)));
        Files.writeString(javaFile, dir.resolve("removed-jdk/bin/java") + "\n");
        Files.setLastModifiedTime(javaFile, FileTime.from(JAR_TIME.plusSeconds(60)));
        assertFallsBack(RenderHtmlCommand.childCommand(jar, "/jdk17/bin/java", MADVISE, ARGS));
    }

    @Test
    void archiveOlderThanTheJarIsNotUsed() throws IOException {
        Path archive = writtenAfterJar("publipostage.jar.jsa", "archive");
        Files.setLastModifiedTime(archive, FileTime.from(JAR_TIME.minusSeconds(1)));

        List<String> cmd = RenderHtmlCommand.childCommand(jar, "/jdk17/bin/java", MADVISE, ARGS);

        assertThat(cmd.get(0)).isEqualTo("/jdk17/bin/java");
        assertThat(cmd).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:AOTCache"));
    }

    @Test
    void hugePagesAskedOnlyWhenTheKernelGivesThemOnRequest() throws IOException {
        assertThat(RenderHtmlCommand.childCommand(jar, "java", "always madvise [never]\n", ARGS))
                .doesNotContain("-XX:+UseTransparentHugePages");
        assertThat(RenderHtmlCommand.childCommand(jar, "java", "[always] madvise never\n", ARGS))
                .doesNotContain("-XX:+UseTransparentHugePages");
        assertThat(RenderHtmlCommand.childCommand(jar, "java", "", ARGS))
                .doesNotContain("-XX:+UseTransparentHugePages");
        assertThat(RenderHtmlCommand.childCommand(jar, "java", MADVISE, ARGS))
                .contains("-XX:+UseTransparentHugePages");
    }

    @Test
    void classDataArchiveIsWrittenWithTheChildsOwnTuning() throws IOException {
        List<String> cmd = ClassDataArchive.trainingRun("/jdk17/bin/java", jar, Path.of("sample.xhtml"), Path.of("out.pdf"));

        assertThat(cmd.get(0)).isEqualTo("/jdk17/bin/java");
        assertThat(cmd).containsSubsequence(RenderHtmlCommand.CHILD_FLAGS);
        assertThat(cmd).contains("-XX:ArchiveClassesAtExit=" + dir.resolve("publipostage.jar.jsa"),
                "-D" + RenderHtmlCommand.INNER + "=1");
        assertThat(cmd.subList(cmd.size() - 4, cmd.size()))
                .containsExactly("fr.publipostage.Main", "render-html", "sample.xhtml", "out.pdf");
    }

    @Test
    void newestJdkOf24OrLaterIsChosenForTheCache() throws IOException {
        Path jdk17 = jdk("java-17", "17.0.15");
        Path jdk24 = jdk("jdk-24", "24.0.1");
        Path jdk25 = jdk("temurin-25", "25.0.3");
        Path noJava = dir.resolve("jdk-26-without-java");
        Files.createDirectories(noJava);
        Files.writeString(noJava.resolve("release"), "JAVA_VERSION=\"26\"\n");
        Path notJdk = Files.createDirectories(dir.resolve("not-a-jdk"));

        assertThat(AotCache.newestJdk(List.of(jdk17, jdk25, jdk24, noJava, notJdk))).contains(jdk25);
        assertThat(AotCache.newestJdk(List.of(jdk17, notJdk))).isEmpty();
        assertThat(AotCache.majorVersion(jdk24)).isEqualTo(24);
    }

    private void assertFallsBack(List<String> cmd) {
        assertThat(cmd.get(0)).isEqualTo("/jdk17/bin/java");
        assertThat(cmd).contains("-XX:SharedArchiveFile=" + dir.resolve("publipostage.jar.jsa"));
        assertThat(cmd).noneMatch(a -> a.startsWith("-XX:AOTCache"));
    }

    private Path writtenAfterJar(String name, String content) throws IOException {
        Path file = Files.writeString(dir.resolve(name), content);
        Files.setLastModifiedTime(file, FileTime.from(JAR_TIME.plusSeconds(60)));
        return file;
    }

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
