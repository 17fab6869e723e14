package fr.publipostage.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * TLS in front of a real SMTP server (GreenMail 1.6 has no STARTTLS, and its SMTPS certificate is one
 * per JVM): implicit TLS, or STARTTLS offered in the EHLO reply and started on request, with a
 * certificate made by the test. After the handshake every byte goes through to GreenMail, which
 * receives the mails.
 */
public final class TlsSmtpFront implements AutoCloseable {
    public enum Mode { IMPLICIT, STARTTLS }

    private final Mode mode;
    private final SSLContext tls;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public TlsSmtpFront(Mode mode, TestCertificates certificate, int targetPort) throws IOException {
        this.mode = mode;
        this.tls = certificate.serverContext();
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "tls-smtp-front");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "tls-smtp-front-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            open.add(upstream);
            InputStream fromServer = upstream.getInputStream();
            OutputStream toServer = upstream.getOutputStream();
            Socket secured;
            if (mode == Mode.IMPLICIT) {
                secured = handshake(client);
            } else {
                secured = startTls(client, fromServer, toServer);
                if (secured == null) return;
            }
            open.add(secured);
            Thread back = new Thread(() -> pipe(fromServer, secured), "tls-smtp-front-back");
            back.setDaemon(true);
            back.start();
            secured.getInputStream().transferTo(toServer);
        } catch (IOException e) {
            // The client gave up (e.g. it did not trust the certificate): nothing to do.
        } finally {
            closeQuietly(client);
        }
    }

    /** Plain SMTP up to STARTTLS (offered in the EHLO reply), then TLS on the same connection. */
    private Socket startTls(Socket client, InputStream fromServer, OutputStream toServer) throws IOException {
        InputStream fromClient = client.getInputStream();
        OutputStream toClient = client.getOutputStream();
        toClient.write(reply(fromServer).getBytes(StandardCharsets.US_ASCII));
        while (true) {
            String line = line(fromClient);
            if (line == null) return null;
            String verb = line.trim().toUpperCase(Locale.ROOT);
            if (verb.equals("STARTTLS")) {
                toClient.write("220 2.0.0 Ready to start TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                toClient.flush();
                return handshake(client);
            }
            toServer.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            toServer.flush();
            String answer = reply(fromServer);
            if (verb.startsWith("EHLO")) {
                // "250-a\r\n250 b\r\n" → "250-a\r\n250-b\r\n250 STARTTLS\r\n"
                int previous = answer.lastIndexOf("\r\n", answer.length() - 3);
                int last = previous < 0 ? 0 : previous + 2;
                answer = answer.substring(0, last) + "250-" + answer.substring(last + 4) + "250 STARTTLS\r\n";
            }
            toClient.write(answer.getBytes(StandardCharsets.US_ASCII));
            toClient.flush();
        }
    }

    private SSLSocket handshake(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        s.setUseClientMode(false);
        s.startHandshake();
        return s;
    }

    /** One SMTP reply, all its lines. */
    private static String reply(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String l = line(in);
            if (l == null) throw new IOException("server closed");
            sb.append(l).append("\r\n");
            if (l.length() < 4 || l.charAt(3) != '-') return sb.toString();
        }
    }

    /** One line, read byte by byte: after STARTTLS the next bytes are the client's TLS hello. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static void pipe(InputStream in, Socket to) {
        try {
            in.transferTo(to.getOutputStream());
        } catch (IOException e) {
            // Connection over.
        } finally {
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        for (Socket s : open) closeQuietly(s);
    }
}
