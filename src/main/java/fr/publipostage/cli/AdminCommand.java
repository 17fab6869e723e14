package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.security.AdminService.AdminRefused;
import fr.publipostage.security.AdminService.OneTimeCredential;
import fr.publipostage.security.AuditEvent;
import java.util.Map;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code admin create --login L [--super | --structure UAI ... | --structure UAI --class NAME ...]},
 * the password read from stdin; {@code --class} makes a class teacher limited to those classes.
 * {@code admin reset-totp --login L} removes an admin's authenticator app (audited).
 */
public final class AdminCommand {
    private final InputStream in;
    private final PrintStream out;

    public AdminCommand(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    public int run(App app, String lang, Args args) throws IOException {
        if (args.positional().size() == 1 && args.positional().get(0).equals("reset-password")) {
            return resetPassword(app, lang, args);
        }
        if (args.positional().size() == 1 && args.positional().get(0).equals("reset-totp")) return resetTotp(app, lang, args);
        args.allowOnly(Set.of("login", "super", "structure", "class"));
        if (args.positional().size() != 1 || !args.positional().get(0).equals("create")) {
            throw new CliError("usage: admin create --login L [--super | --structure UAI ... | --structure UAI --class NAME ...] (password on stdin)"
                    + " | admin reset-password --login L | admin reset-totp --login L");
        }
        String login = args.require("login");
        List<String> uais = args.all("structure");
        List<String> classes = args.all("class");
        if (!classes.isEmpty() && (uais.size() != 1 || args.has("super"))) {
            throw new CliError("--class needs exactly one --structure UAI (and no --super)");
        }
        String password;
        if (System.console() != null) {
            char[] typed = System.console().readPassword("%s ", app.messages().get(lang, "cli.passwordPrompt"));
            password = typed == null ? null : new String(typed);
        } else {
            password = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null) throw new CliError("no password on standard input");
        try {
            if (classes.isEmpty()) {
                app.admins().create(login, password.strip(), args.has("super"), uais);
            } else {
                app.admins().createClassTeacher(login, password.strip(), uais.get(0), classes);
            }
        } catch (AdminRefused e) {
            throw new CliError(e.getMessage());
        }
        out.println(app.messages().get(lang, "cli.adminCreated", login));
        return 0;
    }

    /**
     * {@code admin reset-password --login L}: a new one-time password, printed here only, to change at
     * the next login; the admin's web sessions end; audited. Starts of serve keep it.
     */
    private int resetPassword(App app, String lang, Args args) {
        args.allowOnly(Set.of("login"));
        String login = args.require("login");
        OneTimeCredential credential;
        try {
            credential = app.admins().resetPassword(login);
        } catch (AdminRefused e) {
            throw new CliError(e.getMessage());
        }
        String operator = "cli:" + System.getProperty("user.name", "operator");
        app.audit().record(operator, AuditEvent.PASSWORD_RESET, null, null, Map.of("admin", login));
        out.println(app.messages().get(lang, "cli.passwordReset", credential.login(), credential.password()));
        return 0;
    }

    /**
     * {@code admin reset-totp --login L}: removes the admin's authenticator (he lost it); he enrols a new
     * one at his next visit to "Sécurité". Recorded in the audit log as {@code cli:<user>}.
     */
    private int resetTotp(App app, String lang, Args args) {
        args.allowOnly(Set.of("login"));
        String login = args.require("login");
        if (!app.secondFactor().reset(login, "cli:" + System.getProperty("user.name"))) {
            throw new CliError(app.messages().get(lang, "cli.adminUnknown", login));
        }
        out.println(app.messages().get(lang, "cli.totpReset", login));
        return 0;
    }
}
