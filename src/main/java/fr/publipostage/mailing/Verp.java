package fr.publipostage.mailing;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Variable envelope return path ({@code PUBLIPOSTAGE_BOUNCE_VERP}): each message's envelope sender is
 * {@code prefix + token + suffix}, e.g. {@code bounces+<token>@lycee.example.fr}, the token being the
 * message's own id ({@code <campaign-token>.<row-id>}, the left part of its Message-ID). A bounce is then
 * delivered to an address that names its ledger row, even when the report quotes nothing of the message
 * (Exim's delay warnings, some forwarding systems).
 */
public record Verp(String prefix, String suffix) {
    public static final String TOKEN = "{token}";
    /** Campaign token (a UUID) and row id. */
    private static final Pattern ROW_TOKEN = Pattern.compile("([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\.(\\d{1,18})");

    /** The setting's value, checked; null when VERP is off (empty setting). */
    public static Verp parse(String setting) {
        String v = setting == null ? "" : setting.strip();
        if (v.isEmpty()) return null;
        int token = v.indexOf(TOKEN);
        int at = v.lastIndexOf('@');
        if (token < 0 || v.indexOf(TOKEN, token + 1) >= 0 || at < token + TOKEN.length() || at == v.length() - 1
                || v.chars().anyMatch(c -> Character.isWhitespace(c) || c == '<' || c == '>')) {
            throw new Config.ConfigException(Setting.BOUNCE_VERP.envName + " must be an address whose local part holds "
                    + TOKEN + " once, e.g. bounces+" + TOKEN + "@lycee.example.fr; got \"" + v + "\"");
        }
        return new Verp(v.substring(0, token), v.substring(token + TOKEN.length()));
    }

    /** The envelope sender of the message with this Message-ID ({@code <token@domain>}). */
    public String envelopeFor(String messageId) {
        return prefix + tokenOf(messageId) + suffix;
    }

    /** The left part of a Message-ID: {@code <a.b@c>} → {@code a.b}. */
    public static String tokenOf(String messageId) {
        String id = messageId.strip();
        if (id.startsWith("<")) id = id.substring(1);
        if (id.endsWith(">")) id = id.substring(0, id.length() - 1);
        int at = id.lastIndexOf('@');
        return at < 0 ? id : id.substring(0, at);
    }

    /** The row an address of this form names (case-insensitive: some servers lower-case addresses). */
    public Optional<RowToken> rowOf(String address) {
        if (address == null) return Optional.empty();
        String a = address.strip().toLowerCase(Locale.ROOT);
        String p = prefix.toLowerCase(Locale.ROOT);
        String s = suffix.toLowerCase(Locale.ROOT);
        if (!a.startsWith(p) || !a.endsWith(s) || a.length() <= p.length() + s.length()) return Optional.empty();
        return RowToken.parse(a.substring(p.length(), a.length() - s.length()));
    }

    /** A campaign token and a ledger row id, as our Message-IDs and VERP addresses carry them. */
    public record RowToken(String campaignToken, long rowId) {
        public static Optional<RowToken> parse(String token) {
            Matcher m = ROW_TOKEN.matcher(token.strip());
            if (!m.matches()) return Optional.empty();
            try {
                return Optional.of(new RowToken(m.group(1).toLowerCase(Locale.ROOT), Long.parseLong(m.group(2))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** The row a Message-ID of ours names: {@code <campaign-token.row-id@domain>}. */
        public static Optional<RowToken> ofMessageId(String messageId) {
            if (messageId == null) return Optional.empty();
            String id = messageId.strip();
            if (!id.startsWith("<") || !id.endsWith(">") || id.indexOf('@') < 0) return Optional.empty();
            return parse(tokenOf(id));
        }
    }
}
