package fr.publipostage.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application's jar entry point ({@code fr.publipostage.Main VERB …}) in a JVM of its own, as an
 * operator runs it: only the PUBLIPOSTAGE_ settings given, output (stdout and stderr) in a file.
 * Closing it stops it like a service manager does (SIGTERM, then SIGKILL after 20 s).
 */
public final class AppProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String name;

    private AppProcess(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    public static AppProcess start(Path workDir, String name, Map<String, String> settings, String... args) throws IOException {
        return startWithInput(workDir, name, settings, null, args);
    }

    /** As {@link #start(Path, String, Map, String...)}, with this text on standard input. */
    public static AppProcess startWithInput(Path workDir, String name, Map<String, String> settings, String stdin, String... args)
            throws IOException {
        ProcessBuilder pb = builder(workDir, settings, args);
        Path log = workDir.resolve(name + ".log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        return new AppProcess(p, log, name);
    }

    /**
     * {@code fr.publipostage.Main ARGS} in a JVM of its own, run in {@code workDir} with only these
     * PUBLIPOSTAGE_ settings; where its output goes is the caller's to set.
     */
    public static ProcessBuilder builder(Path workDir, Map<String, String> settings, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "fr.publipostage.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PUBLIPOSTAGE_"));
        env.putAll(settings);
        return pb;
    }

    public Process process() {
        return process;
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the output matches, or fails with the output so far (also when the process ended). */
    public Matcher awaitOutput(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(log());
            if (m.find()) return m;
            if (!process.isAlive()) {
                Thread.sleep(200);
                m = pattern.matcher(log());
                if (m.find()) return m;
                throw new AssertionError(name + " ended (exit code " + process.exitValue() + ") without printing /" + regex + "/:\n" + log());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not print /" + regex + "/ within " + timeout.toSeconds() + " s:\n" + log());
    }

    /** The HTTP port a {@code serve} prints when it is ready. */
    public int awaitServing(Duration timeout) throws InterruptedException {
        return Integer.parseInt(awaitOutput("http://localhost:(\\d+)/", timeout).group(1));
    }

    /** Waits for the end; fails with the output if it does not end in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout.toSeconds() + " s:\n" + log());
        }
        return process.exitValue();
    }

    /** SIGTERM, as a service manager stops a service. */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Reads a stream whole (small outputs). */
    public static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
