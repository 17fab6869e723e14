package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import fr.publipostage.mailing.Campaign;
import fr.publipostage.mailing.CampaignPreview;
import fr.publipostage.mailing.CampaignProgress;
import fr.publipostage.mailing.CampaignRefused;
import fr.publipostage.mailing.CampaignService;
import fr.publipostage.mailing.Recipient;
import fr.publipostage.mailing.RecipientFilter;
import fr.publipostage.selection.InvalidSelection;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.templates.Messages;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mail --structure UAI [filters]}, as a local admin of the school (like {@code letters}: the
 * platform's SUPER_ADMIN accounts are neither mailed nor listed): prints the confirmation counts, starts a campaign and
 * follows it to the end with a progress line. {@code mail --campaign ID} follows an existing campaign
 * (after a crash or from another terminal), sending with this process too. Exit code 0 when every
 * mailable account got its mail, 1 when some failed or bounced or the campaign was cancelled or paused, 3 when a
 * worker paused it because the SMTP settings are wrong (the sentence names them). Following a campaign
 * paused that way resumes it first: this process may have the corrected settings.
 */
public final class MailCommand {
    static final Set<String> FILTERS = Set.of("profile", "level", "class", "activation", "email", "local-admin",
            "created-after", "created-before");
    private static final long POLL_MS = 500;

    private final PrintStream out;

    public MailCommand(PrintStream out) {
        this.out = out;
    }

    public int run(App app, String lang, Args args) throws InterruptedException {
        Set<String> known = new HashSet<>(FILTERS);
        known.add("structure");
        known.add("campaign");
        args.allowOnly(known);
        if (!args.positional().isEmpty()) throw CliError.of("cli.error.usageMail");
        Messages messages = app.messages();
        CampaignService campaigns = app.campaigns();
        long campaignId;
        if (args.has("campaign")) {
            if (args.has("structure")) throw CliError.of("cli.error.campaignAndStructure");
            Campaign existing;
            try {
                campaignId = Long.parseLong(args.require("campaign"));
                existing = campaigns.find(campaignId);
            } catch (NumberFormatException | CampaignRefused e) {
                throw new CliError(messages.get(lang, "campaign.cli.notFound", args.option("campaign")));
            }
            // Paused for this instance's SMTP settings: the operator ran it again with new ones, try them
            // (resuming adopts this process's mail route when the settings were corrected).
            if (existing.pauseProblem() != null) existing = campaigns.resume(campaignId, "cli:" + System.getProperty("user.name"));
            // Only an instance with the campaign's mail route sends it: this one would wait for nothing.
            String route = app.mailSettings().route();
            boolean mine = existing.mailRoute() == null ? !app.mailSettings().sandbox() : existing.mailRoute().equals(route);
            if (!mine && !existing.isOver()) {
                throw new CliError(messages.get(lang, "campaign.cli.otherRoute", campaignId,
                        existing.mailRouteLabel() == null ? "?" : existing.mailRouteLabel(), app.mailSettings().routeLabel()));
            }
        } else {
            String uai = args.require("structure");
            Structure structure = campaigns.structureByUai(uai);
            if (structure == null) throw CliError.of("cli.error.unknownStructure", uai);
            Map<String, List<String>> params = new LinkedHashMap<>();
            for (String f : FILTERS) if (args.has(f)) params.put(f, args.all(f));
            Selection selection;
            try {
                selection = app.selections().parse(structure.id(), params);
            } catch (InvalidSelection e) {
                throw new CliError("--" + e.parameter() + ": " + messages.get(lang, e.key(), e.value()));
            }
            // As a local admin of the school, like letters: the platform's SUPER_ADMIN accounts are not mailed.
            CampaignPreview preview = campaigns.preview(selection, Scope.LOCAL_ADMIN);
            out.println(messages.get(lang, "campaign.cli.preview", preview.selected(), preview.toMail(),
                    preview.withoutAddress().size(), preview.blocked().size()));
            for (Account a : preview.withoutAddress()) {
                out.println("  - " + a.lastName() + " " + a.firstName() + " (" + a.displayLogin() + ")");
            }
            if (preview.selected() == 0) {
                out.println(messages.get(lang, "campaign.cli.nothing"));
                return 0;
            }
            try {
                campaignId = campaigns.start(selection, Scope.LOCAL_ADMIN, "cli:" + System.getProperty("user.name")).id();
            } catch (CampaignRefused e) {
                throw new CliError(messages.get(lang, e.key()));
            }
            out.println(messages.get(lang, "campaign.cli.started", campaignId, structure.name()));
        }
        if (app.mailSettings().sandbox()) out.println(messages.get(lang, "campaign.cli.sandbox"));
        app.mailWorker().start();
        return follow(app, lang, campaignId);
    }

    private int follow(App app, String lang, long campaignId) throws InterruptedException {
        Messages messages = app.messages();
        boolean console = System.console() != null;
        String last = "";
        long lastPrinted = 0;
        boolean stalledSaid = false;
        CampaignProgress p;
        while (true) {
            p = app.campaigns().progress(campaignId, Scope.LOCAL_ADMIN);
            CampaignProgress.Counts c = p.counts();
            String line = messages.get(lang, "campaign.cli.progress", c.sent(), c.toSend(), c.failed(), c.pending(), c.sending());
            long now = System.currentTimeMillis();
            if (console) {
                out.print("\r" + line + "   ");
                out.flush();
            } else if (!line.equals(last) && now - lastPrinted >= 1000) {
                out.println(line);
                lastPrinted = now;
                last = line;
            }
            if (p.stalled() && !stalledSaid) {
                // E.g. this process was stopped and no other has the campaign's mail route.
                out.println(messages.get(lang, "campaign.unsendable", p.campaign().mailRouteLabel()));
                stalledSaid = true;
            }
            if (p.campaign().isOver() || p.campaign().status() == Campaign.Status.paused) break;
            Thread.sleep(POLL_MS);
        }
        if (console) out.println();
        CampaignProgress.Counts c = p.counts();
        for (Recipient r : app.campaigns().recipients(campaignId, RecipientFilter.status(Recipient.Status.failed),
                Scope.LOCAL_ADMIN).rows()) {
            out.println(messages.get(lang, "campaign.cli.failedLine", r.lastName() + " " + r.firstName(), r.address(),
                    r.reason()));
        }
        // Bounces come back after the server accepted the message: shown apart from the sent ones.
        for (Recipient r : app.campaigns().recipients(campaignId, RecipientFilter.status(Recipient.Status.bounced),
                Scope.LOCAL_ADMIN).rows()) {
            out.println(messages.get(lang, "campaign.cli.bouncedLine", r.lastName() + " " + r.firstName(), r.address(),
                    r.bounceStatus() + (r.bounceDiagnostic() == null ? "" : " " + r.bounceDiagnostic())));
        }
        if (c.bounced() > 0 || c.delayed() > 0) out.println(messages.get(lang, "campaign.cli.bounces", c.bounced(), c.delayed()));
        switch (p.campaign().status()) {
            case finished -> {
                out.println(messages.get(lang, "campaign.cli.finished", campaignId, c.sent(), c.failed(), c.skipped()));
                // A bounced mail did not reach its account either (README: 0 only when every mailable account got it).
                return c.failed() == 0 && c.bounced() == 0 ? 0 : 1;
            }
            case cancelled -> {
                out.println(messages.get(lang, "campaign.cli.cancelled", campaignId, c.sent(), c.failed(), c.cancelled()));
                return 1;
            }
            default -> {
                String sentence = app.campaigns().pauseSentence(p.campaign(), lang);
                if (sentence != null) {
                    // The settings are wrong: say which, and exit apart from "some recipients failed".
                    out.println(sentence);
                    out.println(messages.get(lang, "campaign.cli.detail", p.campaign().pauseReason()));
                    out.println(messages.get(lang, "campaign.cli.paused", campaignId));
                    return 3;
                }
                out.println(messages.get(lang, "campaign.cli.paused", campaignId));
                return 1;
            }
        }
    }
}
