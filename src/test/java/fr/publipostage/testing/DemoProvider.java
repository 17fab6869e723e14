package fr.publipostage.testing;

import java.util.concurrent.CountDownLatch;

/**
 * A demo OpenID Connect provider for trying single sign-on by hand (README, "Log in with the ENT"):
 * the tests' provider with its sign-in page, on loopback, until Ctrl-C. Issuer
 * {@code http://localhost:PORT/ent}, any client id and secret.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=fr.publipostage.testing.DemoProvider -Dexec.args=8080</pre>
 */
public final class DemoProvider {
    private DemoProvider() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        TestProvider provider = new TestProvider(true, port);
        System.out.println("OpenID Connect provider: issuer " + provider.issuer() + " (sign-in page: type a login; claims"
                + " such as {\"amr\": [\"mfa\"]} assert a second factor). Ctrl-C stops it.");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            provider.close();
            stop.countDown();
        }));
        stop.await();
    }
}
