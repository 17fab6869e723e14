package fr.publipostage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code render-html} child's ahead-of-time cache (JDK 24+ {@code -XX:AOTCache}: classes loaded
 * and linked in advance, more than the class-data archive of Java 17 holds). It can only be used by
 * the JDK build that wrote it, so {@code publipostage.jar.aot} has a companion file,
 * {@code publipostage.jar.aot.java}, naming that JDK's {@code java}.
 *
 * <p>{@link #main} writes both at {@code mvn package}, when a JDK 24 or later is found (the
 * {@code aot.jdk} Maven property, else the JDKs installed beside the building one, e.g. under
 * /usr/lib/jvm); with none, it says so and the child keeps the class-data archive.
 */
record AotCache(Path jar, Path file, Path java) {
    static final int FIRST_JDK = 24;
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    static Optional<AotCache> besideJar(Path jar) throws IOException {
        Path file = cacheFile(jar);
        Path javaFile = javaFile(file);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(javaFile)) return Optional.empty();
        return Optional.of(new AotCache(jar, file, Path.of(Files.readString(javaFile).strip())));
    }

    /** Written after the jar, and its JDK still there. */
    boolean usable() {
        return newerThan(file, jar) && newerThan(javaFile(file), jar) && Files.isExecutable(java);
    }

    List<String> useFlags() {
        // A cache that does not match (another jar path, say) is skipped by the JVM: keep that quiet.
        return List.of("-XX:AOTCache=" + file, "-Xlog:aot=off", "-Xlog:cds=off");
    }

    static boolean newerThan(Path file, Path than) {
        try {
            return Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path cacheFile(Path jar) {
        return jar.resolveSibling(jar.getFileName() + ".aot");
    }

    private static Path javaFile(Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".java");
    }

    /** The newest JDK of at least {@link #FIRST_JDK} among {@code homes}, by its {@code release} file. */
    static Optional<Path> newestJdk(List<Path> homes) {
        return homes.stream()
                .filter(home -> majorVersion(home) >= FIRST_JDK && Files.isExecutable(home.resolve("bin/java")))
                .max(Comparator.comparingInt(AotCache::majorVersion).thenComparing(Path::toString));
    }

    static int majorVersion(Path jdkHome) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(jdkHome.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<Path> installedJdks() throws IOException {
        List<Path> homes = new ArrayList<>();
        for (Path dir : List.of(Path.of("/usr/lib/jvm"), Path.of(System.getProperty("java.home")).getParent())) {
            if (dir == null || !Files.isDirectory(dir)) continue;
            try (Stream<Path> children = Files.list(dir)) {
                children.forEach(homes::add);
            }
        }
        return homes;
    }

    /**
     * {@code JAR SAMPLE.xhtml OUT.pdf [JDK_HOME]}: one training run of the child on the sample,
     * the cache written beside the jar. Never fails the build: without a JDK 24+ or when the run
     * fails, the child keeps the class-data archive.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path jar = Path.of(args[0]).toRealPath();
        Path file = cacheFile(jar);
        Files.deleteIfExists(file);
        Files.deleteIfExists(javaFile(file));
        Optional<Path> jdk = args.length > 3 && !args[3].isBlank()
                ? Optional.of(Path.of(args[3])).filter(home -> majorVersion(home) >= FIRST_JDK)
                : newestJdk(installedJdks());
        if (jdk.isEmpty()) {
            System.out.println("render-html: no JDK " + FIRST_JDK + "+ found, the child JVM uses the class-data archive");
            return;
        }
        Path java = jdk.get().resolve("bin/java").toRealPath();
        List<String> cmd = RenderHtmlCommand.childLine(java.toString(),
                List.of("-XX:AOTCacheOutput=" + file, "-Xlog:aot=off", "-Xlog:cds=off"), jar, List.of(args[1], args[2]));
        int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (exit != 0 || !Files.isRegularFile(file)) {
            System.out.println("render-html: the ahead-of-time cache was not written (exit " + exit
                    + "), the child JVM uses the class-data archive");
            Files.deleteIfExists(file);
            return;
        }
        Files.writeString(javaFile(file), java + "\n");
        System.out.println("render-html: ahead-of-time cache " + file + " for " + java);
    }
}
