package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.DatabaseUnavailable;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.db.Database;
import fr.publipostage.security.AdminService.KeptOneTimePassword;
import fr.publipostage.security.AdminService.OneTimeCredential;
import fr.publipostage.templates.Messages;
import io.javalin.Javalin;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** {@code serve [--port N]}: database, demo data on first start, HTTP server; Ctrl-C stops it all cleanly. */
public final class ServeCommand {
    private final PrintStream out;
    private final Consumer<DatabaseUnavailable> databaseLost;

    /** @param databaseLost told when the embedded database stopped for good (prints the reason, exits non-zero) */
    public ServeCommand(PrintStream out, Consumer<DatabaseUnavailable> databaseLost) {
        this.out = out;
        this.databaseLost = databaseLost;
    }

    public int run(Config config, Args args) throws InterruptedException {
        args.allowOnly(Set.of("port"));
        if (args.has("port")) config = config.with(Setting.PORT, args.option("port"));
        int port = config.getInt(Setting.PORT);
        String lang = config.get(Setting.LANGUAGE);
        long startNanos = System.nanoTime();
        App app = App.open(config, databaseLost);
        long openedNanos = System.nanoTime();
        Messages messages = app.messages();
        Javalin server;
        List<OneTimeCredential> credentials = List.of();
        List<KeptOneTimePassword> kept;
        Optional<Database.HeldLock> issuer;
        try {
            // One instance at a time issues the demo admins' one-time passwords and prints them; it holds this
            // lock while it runs, so a second instance on the same database keeps them instead of replacing
            // what the first one printed.
            issuer = app.database().tryLock("one-time-passwords");
            if (issuer.isPresent()) {
                if (config.getBoolean(Setting.DEMO_DATA)) {
                    if (app.demo().loadIfEmpty()) out.println(messages.get(lang, "cli.demoLoaded"));
                    app.admins().createDemoAdminsIfNone(List.of(DemoDirectory.LYCEE_UAI, DemoDirectory.COLLEGE_UAI),
                            DemoDirectory.LYCEE_UAI, DemoDirectory.DEMO_TUTOR_CLASS);
                }
                // Before the server answers, so nobody can log in with a password about to be replaced.
                credentials = app.admins().renewOneTimePasswords();
            }
            kept = app.admins().keptOneTimePasswords();
            server = app.server().start("0.0.0.0", port);
            app.startBackgroundWork();
        } catch (io.javalin.util.JavalinBindException e) {
            app.close();
            throw new CliError("port " + port + " is already in use: choose another with --port N or PUBLIPOSTAGE_PORT");
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        Optional<Database.HeldLock> issued = issuer;
        List<OneTimeCredential> printed = credentials;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println(messages.get(lang, "cli.stopping"));
            app.beginShutdown();
            server.stop();
            issued.ifPresent(Database.HeldLock::close);
            app.close();
            stopped.countDown();
        }, "publipostage-shutdown"));

        out.println(messages.get(lang, "cli.database", app.database().description()));
        if (app.mailSettings().sandbox()) out.println(messages.get(lang, "campaign.cli.sandbox"));
        if (!credentials.isEmpty()) {
            out.println(messages.get(lang, "cli.oneTimeTitle"));
            for (OneTimeCredential c : credentials) {
                String role = c.superAdmin() ? messages.get(lang, "cli.superAdmin")
                        : !c.structures().isEmpty() ? messages.get(lang, "cli.localAdmin", String.join(", ", c.structures()))
                        : messages.get(lang, "auth.cliClassTeacher", String.join(", ", c.classStructures()));
                out.println(messages.get(lang, "cli.oneTimeLine", c.login(), c.password(), role));
            }
        }
        List<KeptOneTimePassword> notPrinted = kept.stream()
                .filter(k -> printed.stream().noneMatch(c -> c.login().equals(k.login()))).toList();
        if (!notPrinted.isEmpty()) {
            out.println(messages.get(lang, issued.isPresent() ? "cli.oneTimeResetTitle" : "cli.oneTimeKeptTitle"));
            for (KeptOneTimePassword k : notPrinted) {
                String when = k.issuedAt() == null ? "?" : k.issuedAt().atZoneSameInstant(java.time.ZoneId.systemDefault())
                        .toLocalDateTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString().replace('T', ' ');
                out.println(messages.get(lang, "reset".equals(k.source()) ? "cli.oneTimeResetLine" : "cli.oneTimeKeptLine", k.login(), when));
            }
            out.println(messages.get(lang, "cli.oneTimeHowToRenew"));
        }
        if (app.oidcLogin().settings().enabled()) printSingleSignOn(app, messages, lang, server.port());
        out.println(messages.get(lang, "cli.startTime", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - startNanos) / 1e9),
                String.format(java.util.Locale.ROOT, "%.1f", (openedNanos - startNanos) / 1e9)));
        out.println(messages.get(lang, "cli.serving", "http://localhost:" + server.port() + "/"));
        stopped.await();
        return 0;
    }

    /** The provider, the redirect URI to register there, and who may come in through it. */
    private void printSingleSignOn(App app, Messages messages, String lang, int port) {
        var settings = app.oidcLogin().settings();
        String base = settings.publicUrl().isEmpty() ? "http://localhost:" + port : settings.publicUrl();
        out.println(messages.get(lang, "cli.oidc", settings.issuer(), base + "/oidc/callback"));
        String problem = app.oidcLogin().checkProvider();
        if (problem != null) out.println(messages.get(lang, "cli.oidcUnreachable", problem));
        var admins = app.oidcLogin().directoryAdmins(12);
        if (!admins.isEmpty()) {
            out.println(messages.get(lang, "cli.oidcAccounts"));
            for (var a : admins) out.println("    - " + a.login() + " (" + a.uai() + ", " + String.join(", ", a.functions()) + ")");
        }
    }
}
