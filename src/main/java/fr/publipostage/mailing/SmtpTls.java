package fr.publipostage.mailing;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards the SMTP server: which certificates are trusted ({@code PUBLIPOSTAGE_SMTP_TRUSTSTORE}, PEM
 * or PKCS#12, else the JVM's CAs) and how the server's name is checked. The check is the JDK's own
 * endpoint identification ("HTTPS", RFC 2818 / RFC 6125), done during the handshake: it accepts an IP
 * address listed as an IP SAN (javax.mail's {@code checkserveridentity} compares DNS names only, so
 * {@code SMTP_HOST=127.0.0.1} failed with "Can't verify identity of server" whatever the certificate).
 */
public final class SmtpTls {
    private SmtpTls() {
    }

    /** The socket factory javax.mail uses for STARTTLS and implicit TLS. */
    public static SSLSocketFactory socketFactory(String trustStore, String password) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore.isBlank() ? null : load(Path.of(trustStore), password));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return new IdentityChecking(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new Config.ConfigException("config.error.because", Setting.SMTP_TRUSTSTORE.envName, e.getMessage());
        }
    }

    /**
     * True when the server at {@code host:port} answers a TLS handshake (completed, or refused over a
     * certificate or an alert: it speaks TLS all the same); false when it answers plain text, closes
     * or stays silent. Whom to trust does not matter here: nothing is sent over the connection.
     */
    static boolean speaksTls(String host, int port, java.time.Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket plain = new Socket()) {
            plain.connect(new java.net.InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, false)) {
                tls.startHandshake();
                return true;
            }
        } catch (javax.net.ssl.SSLHandshakeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.security.cert.CertificateException) return true;
            }
            String m = String.valueOf(e.getMessage());
            return m.startsWith("Received fatal alert");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads a PEM (or DER) file of certificates, or a PKCS#12 / JKS key store.
     *
     * @throws Config.ConfigException naming the setting, when the file cannot be used
     */
    static KeyStore load(Path file, String password) {
        String name = Setting.SMTP_TRUSTSTORE.envName;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Config.ConfigException("config.error.cannotReadFile", name, file, e.getMessage());
        }
        try {
            KeyStore store;
            if (new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                Collection<? extends Certificate> certificates =
                        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
                int i = 0;
                for (Certificate c : certificates) store.setCertificateEntry("smtp-" + i++, c);
            } else {
                store = KeyStore.getInstance(file.toFile(), password.isEmpty() ? null : password.toCharArray());
            }
            if (store.size() == 0) throw new Config.ConfigException("config.error.noCertificate", name, file);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")
                    ? "wrong " + Setting.SMTP_TRUSTSTORE_PASSWORD.envName : e.getMessage();
            throw new Config.ConfigException("config.error.notAKeyStore", name, file, why);
        }
    }

    /** Turns on the JDK's host name check on every TLS socket it makes. */
    private static final class IdentityChecking extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        IdentityChecking(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket checked(Socket s) {
            if (s instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
            }
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        /** STARTTLS: the plain connection becomes TLS; {@code host} is the configured host, name or IP. */
        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return checked(delegate.createSocket(s, host, port, autoClose));
        }

        /** Implicit TLS: javax.mail connects it to the configured host afterwards. */
        @Override
        public Socket createSocket() throws IOException {
            return checked(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return checked(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return checked(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
