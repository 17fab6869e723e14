package fr.publipostage.testing;

import java.io.IOException;
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
 * The application in a JVM of its own ({@code java … fr.publipostage.Main VERB …}), as an operator runs
 * it: its settings in the environment, its output in a log file, its temp folder chosen by the test
 * (several instances of one "machine" share it). It can be killed (SIGKILL), frozen (SIGSTOP) and
 * resumed (SIGCONT), or asked to stop (SIGTERM).
 */
public final class Instance implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("http://localhost:(\\d+)/");

    private final String name;
    private final Process process;
    private final Path log;
    private int port = -1;

    private Instance(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code Main args…} with exactly these PUBLIPOSTAGE_* settings (the test JVM's own are not
     * inherited) and {@code HOSTNAME=name}, so the instance id it records starts with its name.
     */
    public static Instance start(String name, Path workDir, Path tmpDir, Map<String, String> env, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + tmpDir, "-cp", System.getProperty("java.class.path"), "fr.publipostage.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(workDir.toFile());
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> k.startsWith("PUBLIPOSTAGE_"));
        environment.put("HOSTNAME", name);
        environment.putAll(env);
        Path log = workDir.resolve(name + ".log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new Instance(name, pb.start(), log);
    }

    /** {@code serve --port 0}: waits until it prints its address. */
    public static Instance serve(String name, Path workDir, Path tmpDir, Map<String, String> env) throws IOException {
        return start(name, workDir, tmpDir, env, "serve", "--port", "0");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Waits until {@code serve} prints its URL; returns the port. */
    public int awaitServing(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = SERVING.matcher(log());
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                return port;
            }
            if (!process.isAlive()) throw new IllegalStateException(name + " ended before serving:\n" + log());
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not start within " + timeout + ":\n" + log());
    }

    public int port() {
        if (port < 0) throw new IllegalStateException(name + " is not serving");
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The last lines of the log, for assertion messages. */
    public String tail() {
        try {
            String[] lines = log().split("\n");
            return name + " log:\n" + String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
        } catch (IOException e) {
            return name + " log unreadable: " + e;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, nothing cleaned up. */
    public void sigkill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new IllegalStateException(name + " survived SIGKILL");
    }

    /** SIGTERM: the graceful stop an orchestrator asks for. */
    public void sigterm() {
        process.destroy();
    }

    /** SIGQUIT: the JVM prints every thread's stack to its log (for a test that waited in vain). */
    public void threadDump() {
        try {
            signal("QUIT");
            Thread.sleep(1000);
        } catch (IOException | InterruptedException | IllegalStateException ignored) {
            // A diagnostic only.
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        try {
            String[] all = log().split("\n");
            return name + " log:\n" + String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
        } catch (IOException e) {
            return name + " log unreadable: " + e;
        }
    }

    public void sigstop() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void sigcont() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }

    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        try {
            signal("CONT"); // a frozen process cannot die until resumed
        } catch (IOException | InterruptedException | IllegalStateException ignored) {
            // Killing it anyway.
        }
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
