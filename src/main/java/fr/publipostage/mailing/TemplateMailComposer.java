package fr.publipostage.mailing;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.MessageOverrides;
import fr.publipostage.templates.PinnedTemplates;
import fr.publipostage.templates.TemplateResolver;
import fr.publipostage.templates.TemplateSource;
import fr.publipostage.templates.TemplateVariables;
import fr.publipostage.templates.VelocityRenderer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mails through the shared template engine: {@code mail-<kind>.subject.vm}, {@code
 * mail-<kind>.html.vm} and {@code mail-<kind>.txt.vm} (built-in in {@code templates/}, overridable per
 * structure like every template), with the variables of DESIGN.md §4, in the account's language,
 * else the structure's. The renderer XML-escapes every printed value, which is right for HTML; the
 * subject and the text part are plain text, so those five escapes are undone there.
 */
public final class TemplateMailComposer implements MailComposer {
    private final VelocityRenderer renderer;
    private final TemplateResolver resolver;
    private final TemplateVariables variables;
    private final Clock clock;

    public TemplateMailComposer(VelocityRenderer renderer, TemplateResolver resolver, TemplateVariables variables,
                                Clock clock) {
        this.renderer = renderer;
        this.resolver = resolver;
        this.variables = variables;
        this.clock = clock;
    }

    public static String file(MailKind kind, String part) {
        return "mail-" + kind.name() + "." + part + ".vm";
    }

    public static List<String> files() {
        return List.of(file(MailKind.activation, "subject"), file(MailKind.activation, "html"),
                file(MailKind.activation, "txt"), file(MailKind.reminder, "subject"), file(MailKind.reminder, "html"),
                file(MailKind.reminder, "txt"));
    }

    @Override
    public ComposedMail compose(MailKind kind, Structure structure, Account account) {
        Map<String, Object> vars = variables.forAccount(account, structure, LocalDate.now(clock));
        Long sid = structure.id();
        String subject = unescape(renderer.render(sid, file(kind, "subject"), vars)).replaceAll("\\s+", " ").strip();
        // Whatever the template says, the HTML sent goes through the allow-list (issue 10, leak 9).
        MailHtml.Cleaned html = MailHtml.clean(renderer.render(sid, file(kind, "html"), vars));
        String text = unescape(renderer.render(sid, file(kind, "txt"), vars)).strip() + "\n";
        return new ComposedMail(subject, html.html(), text, html.removed());
    }

    /** A composer of its own over the recorded versions (a Velocity engine built in a few ms, per campaign). */
    @Override
    public MailComposer pinned(Structure structure, Map<String, String> versions) {
        if (versions == null || versions.isEmpty()) return this;
        TemplateResolver pinned = new PinnedTemplates(resolver, structure.id(), versions);
        return new TemplateMailComposer(new VelocityRenderer(pinned, renderer.limits()), pinned,
                variables.withTemplates(pinned), clock);
    }

    @Override
    public Map<String, String> templateVersions(Structure structure) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String f : files()) {
            versions.put(f, resolver.resolve(structure.id(), f)
                    .map(TemplateMailComposer::version).orElse("missing"));
        }
        // The school's own wording of mail texts is part of what the mails say.
        for (String language : Messages.LANGUAGES) {
            String f = MessageOverrides.file(language);
            resolver.resolve(structure.id(), f).ifPresent(s -> versions.put(f, version(s)));
        }
        return versions;
    }

    /** origin:version:first 12 hex digits of the text's SHA-256 (built-ins all have version 0). */
    private static String version(TemplateSource source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.text().getBytes(StandardCharsets.UTF_8));
            return source.origin() + ":" + source.version() + ":" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Undoes the renderer's XML escaping, for plain-text output. */
    static String unescape(String s) {
        if (s.indexOf('&') < 0) return s;
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
