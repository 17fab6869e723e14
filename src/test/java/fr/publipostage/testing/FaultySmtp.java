package fr.publipostage.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP proxy on loopback in front of a real server (GreenMail) that injects faults: it can be
 * down (connection refused, open connections cut) and answer {@code RCPT TO} for chosen addresses with
 * scripted replies (e.g. "451 …" twice, then pass through; or "550 …" always). Everything else is
 * passed through byte for byte, so GreenMail is the one that receives the mails.
 */
public final class FaultySmtp implements AutoCloseable {
    private static final Pattern RCPT = Pattern.compile("(?i)^RCPT TO:\\s*<([^>]*)>.*");

    private final int targetPort;
    private final int port;
    private final Map<String, Deque<String>> scripted = new ConcurrentHashMap<>();
    private final Map<String, String> always = new ConcurrentHashMap<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile long replyDelayMillis;

    public FaultySmtp(int targetPort) throws IOException {
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Starts listening (again) on the same port. */
    public synchronized FaultySmtp up() throws IOException {
        if (server != null) return this;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread t = new Thread(() -> accept(s), "faulty-smtp-accept");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** Refuses connections and cuts the open ones, like a server that went away. */
    public synchronized FaultySmtp down() {
        ServerSocket s = server;
        server = null;
        closeQuietly(s);
        for (Socket c : open) closeQuietly(c);
        open.clear();
        return this;
    }

    /** The next RCPT TO for {@code address} get these replies, one each; then it passes through. */
    public void script(String address, String... replies) {
        scripted.put(address.toLowerCase(Locale.ROOT), new ArrayDeque<>(List.of(replies)));
    }

    /** Every RCPT TO for {@code address} gets this reply (null to stop). */
    public void always(String address, String reply) {
        if (reply == null) always.remove(address.toLowerCase(Locale.ROOT));
        else always.put(address.toLowerCase(Locale.ROOT), reply);
    }

    /** Holds every piece of the server's replies this long before passing it on: a slow server. */
    public void delayReplies(java.time.Duration delay) {
        replyDelayMillis = delay.toMillis();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                Thread down = new Thread(() -> pump(upstream, client), "faulty-smtp-down");
                down.setDaemon(true);
                down.start();
                Thread up = new Thread(() -> commands(client, upstream), "faulty-smtp-up");
                up.setDaemon(true);
                up.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Server → client, as is. */
    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (replyDelayMillis > 0) sleep(replyDelayMillis);
                synchronized (to) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // Connection closed.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Client → server, line by line; RCPT TO may be answered here instead. */
    private void commands(Socket client, Socket upstream) {
        try (InputStream in = new BufferedInputStream(client.getInputStream());
             OutputStream toServer = upstream.getOutputStream();
             OutputStream toClient = client.getOutputStream()) {
            boolean data = false;
            byte[] line;
            while ((line = readLine(in)) != null) {
                String text = new String(line, StandardCharsets.ISO_8859_1).strip();
                if (!data) {
                    Matcher m = RCPT.matcher(text);
                    if (m.matches()) {
                        String reply = replyFor(m.group(1).toLowerCase(Locale.ROOT));
                        if (reply != null) {
                            synchronized (client) {
                                toClient.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                                toClient.flush();
                            }
                            continue;
                        }
                    }
                    if (text.equalsIgnoreCase("DATA")) data = true;
                } else if (text.equals(".")) {
                    data = false;
                }
                toServer.write(line);
                toServer.flush();
            }
        } catch (IOException ignored) {
            // Connection closed.
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String replyFor(String address) {
        String a = always.get(address);
        if (a != null) return a;
        Deque<String> q = scripted.get(address);
        return q == null ? null : q.pollFirst();
    }

    /** One line with its CRLF, or null at the end of the stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            if (b == '\n') return buf.toByteArray();
        }
        return buf.size() == 0 ? null : buf.toByteArray();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        down();
    }
}
