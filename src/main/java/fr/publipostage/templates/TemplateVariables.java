package fr.publipostage.templates;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the documented variables of a template (DESIGN.md §4): {@code $account}, {@code $structure},
 * {@code $ent}, {@code $qr}, {@code $msg}, {@code $date}, as {@link TemplateView}s, never the raw
 * records. The letter's language is the account's preferred language when set, else the structure's.
 */
public final class TemplateVariables {
    private final Messages messages;
    private final QrCodes qrCodes;
    private final MessageOverrides structureTexts;

    /** Built-in texts only (no structure's own wording). */
    public TemplateVariables(Messages messages, QrCodes qrCodes) {
        this(messages, qrCodes, new MessageOverrides((structure, name) -> java.util.Optional.empty()));
    }

    public TemplateVariables(Messages messages, QrCodes qrCodes, MessageOverrides structureTexts) {
        this.messages = messages;
        this.qrCodes = qrCodes;
        this.structureTexts = structureTexts;
    }

    /** The same variables with the structures' texts read from another template set (an editor's draft). */
    public TemplateVariables withTemplates(TemplateResolver templates) {
        return new TemplateVariables(messages, qrCodes, new MessageOverrides(templates));
    }

    /** The language a person's letter or mail is written in. */
    public static String language(Account account, Structure structure) {
        if (account != null && account.language() != null && !account.language().isBlank()) {
            return Messages.language(account.language());
        }
        return Messages.language(structure == null ? null : structure.defaultLanguage());
    }

    /**
     * Variables for one person's letter or mail. {@code $qr} encodes the activation address with the
     * login filled in for an account still to activate, else the ENT's address.
     */
    public Map<String, Object> forAccount(Account account, Structure structure, LocalDate today) {
        String lang = language(account, structure);
        EntView ent = new EntView(structure.entUrl());
        Map<String, Object> v = forStructure(structure, lang, today);
        MessagesView msg = (MessagesView) v.get("msg");
        v.put("account", new AccountView(account, msg.get("letter.profile." + account.profile().name())));
        String qrTarget = account.activated() ? ent.getUrl()
                : ent.getActivationUrl() + "?login=" + java.net.URLEncoder.encode(account.login(), java.nio.charset.StandardCharsets.UTF_8);
        v.put("qr", qrCodes.view(qrTarget));
        return v;
    }

    /** Variables that do not depend on a person (document shell, class cover sheet): no {@code $account}, no {@code $qr}. */
    public Map<String, Object> forStructure(Structure structure, String language, LocalDate today) {
        String lang = Messages.language(language);
        Map<String, Object> v = new HashMap<>(16);
        v.put("structure", new StructureView(structure));
        v.put("ent", new EntView(structure.entUrl()));
        v.put("msg", new MessagesView(messages, structureTexts.texts(structure.id(), lang), lang));
        v.put("date", new DateView(today, lang));
        // True only for the window-envelope letter (the engine sets it): templates may place things differently.
        v.put("postal", false);
        return v;
    }

    public Messages messages() {
        return messages;
    }
}
