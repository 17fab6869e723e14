package fr.publipostage.bounces;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.BodyPart;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

/**
 * Reads a message of the bounce mailbox (javax.mail, the project's one mail family) into a
 * {@link BounceReport}.
 *
 * <p>RFC 3464 reports first ({@code multipart/report; report-type=delivery-status}, also
 * {@code message/global-delivery-status} of RFC 6533): the per-recipient fields ({@code Final-Recipient},
 * {@code Action}, {@code Status}, {@code Diagnostic-Code}, names case-insensitive, folded lines
 * unfolded) and the returned message ({@code message/rfc822}, {@code text/rfc822-headers}) for its
 * Message-ID. Postfix, Microsoft 365 / Exchange and current Exim send this form. Then the plain-text
 * forms still met: Exim's "This message was created automatically by mail delivery software" (failed
 * and delay warnings), qmail's "This is the qmail-send program", Postfix's text notices, and a generic
 * reading of "Undeliverable" / "Delivery Status Notification" messages.
 *
 * <p>A report that announces itself as a DSN but cannot be read is {@link Malformed}: the worker keeps
 * and counts it. Anything else that is not a bounce is {@link BounceReport.Kind#OTHER}.
 */
public final class BounceParser {
    /** Raw text scanned for quoted Message-IDs and text bounces: more is not a bounce's business. */
    static final int MAX_SCAN = 2 * 1024 * 1024;
    /**
     * Multiparts looked into for a bounce's text: real reports nest two or three; a message nested thousands
     * deep (a few hundred KB) would overflow the stack, which is no exception the worker survives.
     */
    static final int MAX_DEPTH = 8;
    private static final Pattern STATUS = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
    private static final Pattern SMTP_CODE = Pattern.compile("(?<![\\d.])([45])\\d\\d(?=[ -])");
    private static final Pattern MESSAGE_ID_HEADER = Pattern.compile("(?im)^(?:Message-ID|X-Original-Message-ID|Original-Message-ID)\\s*:\\s*(<[^>\\s]{3,250}>)");
    private static final Pattern ANY_MESSAGE_ID = Pattern.compile("<[^<>\\s@]{1,200}@[^<>\\s@]{1,200}>");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+'=/!#$&*?^`{|}~-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    /** A message that says it is a delivery report but whose report cannot be read. */
    public static final class Malformed extends Exception {
        public Malformed(String why) {
            super(why, null, false, false);
        }
    }

    /** Reads one message; the raw bytes are read once more for the text forms (at most {@link #MAX_SCAN}). */
    public BounceReport parse(MimeMessage message) throws Malformed {
        try {
            return read(message);
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new Malformed("unreadable message: " + e);
        } catch (StackOverflowError e) {
            throw new Malformed("unreadable message: nested too deep");
        }
    }

    private BounceReport read(MimeMessage message) throws MessagingException, IOException, Malformed {
        String subject = decoded(message.getHeader("Subject", null));
        List<String> deliveredTo = deliveredTo(message);
        ContentType type = contentType(message);
        List<String> ids = new ArrayList<>();
        if (type != null && type.match("multipart/report")) {
            Object content = message.getContent();
            if (!(content instanceof Multipart parts)) throw new Malformed("multipart/report without parts");
            String reportType = type.getParameter("report-type");
            Part status = null;
            List<Part> returned = new ArrayList<>();
            StringBuilder human = new StringBuilder();
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart p = parts.getBodyPart(i);
                ContentType pt = contentType(p);
                if (pt == null) continue;
                if (pt.match("message/delivery-status") || pt.match("message/global-delivery-status")) status = p;
                else if (pt.match("message/rfc822") || pt.match("text/rfc822-headers") || pt.match("message/global")
                        || pt.match("message/global-headers")) returned.add(p);
                else if (i == 0 && pt.getPrimaryType().equalsIgnoreCase("text")) human.append(text(p));
                else if (i == 0 && pt.getPrimaryType().equalsIgnoreCase("multipart")) human.append(firstText(p, 1));
            }
            for (Part p : returned) ids.addAll(returnedMessageIds(p));
            if (status != null) {
                return fromDeliveryStatus(status, human.toString(), ids, deliveredTo, subject, message);
            }
            if (reportType != null && reportType.equalsIgnoreCase("delivery-status")) {
                throw new Malformed("multipart/report of delivery-status without a message/delivery-status part");
            }
            // Another kind of report (disposition-notification: a read receipt…): not a bounce.
            return new BounceReport(BounceReport.Kind.OTHER, reportType == null ? "report" : reportType, null, null, null,
                    withQuotedIds(ids, message), deliveredTo, subject);
        }
        BounceReport r = fromText(message, subject, deliveredTo, ids);
        if (r.kind() != BounceReport.Kind.OTHER && r.finalRecipient() == null) {
            // Exim names the failed addresses in a header too.
            String failed = message.getHeader("X-Failed-Recipients", ",");
            Matcher m = failed == null ? null : ADDRESS.matcher(failed);
            if (m != null && m.find()) {
                r = new BounceReport(r.kind(), r.format(), m.group(), r.status(), r.diagnostic(), r.originalMessageIds(),
                        r.deliveredTo(), r.subject());
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ RFC 3464

    private BounceReport fromDeliveryStatus(Part statusPart, String human, List<String> ids, List<String> deliveredTo,
                                            String subject, MimeMessage message) throws IOException, MessagingException, Malformed {
        String body = new String(limited(statusPart.getInputStream()), StandardCharsets.UTF_8);
        List<InternetHeaders> blocks = new ArrayList<>();
        for (String block : body.replace("\r\n", "\n").split("\n[ \t]*\n")) {
            if (block.isBlank()) continue;
            try {
                blocks.add(new InternetHeaders(new ByteArrayInputStream((block.strip() + "\n\n").getBytes(StandardCharsets.UTF_8))));
            } catch (MessagingException e) {
                throw new Malformed("unreadable delivery-status block: " + e.getMessage());
            }
        }
        if (blocks.size() < 2) {
            // The per-message block and at least one per-recipient block (RFC 3464 §2.1). Some servers omit the
            // per-message block: a single block naming a recipient is read as the recipient's.
            if (blocks.size() == 1 && (field(blocks.get(0), "Final-Recipient") != null || field(blocks.get(0), "Action") != null)) {
                blocks.add(0, new InternetHeaders());
            } else {
                throw new Malformed("delivery-status without a per-recipient block");
            }
        }
        String format = formatOf(field(blocks.get(0), "Reporting-MTA"), human, message);
        String envelopeId = field(blocks.get(0), "Original-Envelope-Id");
        // The worst recipient decides: a failure over a delay over anything else.
        InternetHeaders chosen = null;
        BounceReport.Kind chosenKind = null;
        for (InternetHeaders r : blocks.subList(1, blocks.size())) {
            BounceReport.Kind kind = kindOf(field(r, "Action"), statusOf(field(r, "Status")));
            if (kind == null) continue;
            if (chosen == null || rank(kind) > rank(chosenKind)) {
                chosen = r;
                chosenKind = kind;
            }
        }
        if (chosen == null) throw new Malformed("no recipient with an Action or a Status in the delivery-status");
        String recipient = address(field(chosen, "Final-Recipient"));
        if (recipient == null) recipient = address(field(chosen, "Original-Recipient"));
        String status = statusOf(field(chosen, "Status"));
        String diagnostic = diagnostic(field(chosen, "Diagnostic-Code"));
        if (diagnostic == null) diagnostic = diagnostic(field(chosen, "X-Display-Name"));
        if (status == null && diagnostic != null) status = statusIn(diagnostic, chosenKind);
        if (status == null) status = chosenKind == BounceReport.Kind.FAILED ? "5.0.0" : chosenKind == BounceReport.Kind.DELAYED ? "4.0.0" : null;
        List<String> all = new ArrayList<>(ids);
        if (envelopeId != null) all.add(envelopeId.strip());
        return new BounceReport(chosenKind, format, recipient, status, diagnostic, withQuotedIds(all, message),
                deliveredTo, subject);
    }

    private static int rank(BounceReport.Kind kind) {
        return switch (kind) {
            case FAILED -> 2;
            case DELAYED -> 1;
            case OTHER -> 0;
        };
    }

    /** RFC 3464 §2.3.3: failed, delayed, delivered, relayed, expanded. Without an Action, the status class decides. */
    private static BounceReport.Kind kindOf(String action, String status) {
        if (action != null) {
            String a = action.strip().toLowerCase(Locale.ROOT);
            int space = a.indexOf(' ');
            if (space > 0) a = a.substring(0, space);  // "failed (bad destination)": a comment follows
            switch (a) {
                case "failed":
                    return BounceReport.Kind.FAILED;
                case "delayed":
                    return BounceReport.Kind.DELAYED;
                case "delivered", "relayed", "expanded":
                    return BounceReport.Kind.OTHER;
                default:
                    break;
            }
        }
        if (status == null) return null;
        return switch (status.charAt(0)) {
            case '5' -> BounceReport.Kind.FAILED;
            case '4' -> BounceReport.Kind.DELAYED;
            default -> BounceReport.Kind.OTHER;
        };
    }

    private static String formatOf(String reportingMta, String human, MimeMessage message) throws MessagingException {
        String mta = reportingMta == null ? "" : reportingMta.toLowerCase(Locale.ROOT);
        String from = String.valueOf(message.getHeader("From", ",")).toLowerCase(Locale.ROOT);
        if (mta.contains("outlook.com") || mta.contains("protection.outlook") || mta.contains("exchange")
                || message.getHeader("X-MS-Exchange-Message-Is-Ndr") != null
                || message.getHeader("X-MS-Exchange-Organization-SCL") != null
                || human.contains("Microsoft Exchange") || human.contains("Office 365") || human.contains("Microsoft 365")) {
            return "exchange";
        }
        if (human.contains("This is the mail system at host") || human.contains("Postfix program")) return "postfix";
        if (human.contains("created automatically by mail delivery software") || from.contains("mailer-daemon") && mta.contains("exim")) {
            return "exim";
        }
        return "dsn";
    }

    // ------------------------------------------------------------------ text forms

    private BounceReport fromText(MimeMessage message, String subject, List<String> deliveredTo, List<String> ids)
            throws MessagingException, IOException {
        String text = bodyText(message);
        String lower = text.toLowerCase(Locale.ROOT);
        String subjectLower = subject == null ? "" : subject.toLowerCase(Locale.ROOT);
        List<String> quoted = withQuotedIds(ids, message, text);
        if (lower.contains("created automatically by mail delivery software")) {
            boolean delayed = lower.contains("has not yet been delivered") || subjectLower.startsWith("warning:");
            return textBounce(delayed ? BounceReport.Kind.DELAYED : BounceReport.Kind.FAILED, "exim", text,
                    delayed ? "address to which the message has not yet been delivered is" : "following address(es) failed",
                    quoted, deliveredTo, subject);
        }
        if (lower.contains("this is the qmail-send program")) {
            boolean failed = lower.contains("permanent error") || lower.contains("wasn't able to deliver")
                    || lower.contains("i'm not going to try again");
            return textBounce(failed ? BounceReport.Kind.FAILED : BounceReport.Kind.DELAYED, "qmail", text,
                    null, quoted, deliveredTo, subject);
        }
        if (lower.contains("this is the mail system at host") || lower.contains("this is the postfix program")) {
            boolean delayed = lower.contains("this is a warning only") || subjectLower.contains("delayed mail");
            return textBounce(delayed ? BounceReport.Kind.DELAYED : BounceReport.Kind.FAILED, "postfix", text,
                    null, quoted, deliveredTo, subject);
        }
        boolean failedSubject = subjectLower.contains("undeliver") || subjectLower.contains("delivery status notification (failure)")
                || subjectLower.contains("mail delivery failed") || subjectLower.contains("returned mail")
                || subjectLower.contains("failure notice") || subjectLower.contains("delivery failure")
                || subjectLower.contains("non remis") || subjectLower.contains("non distribuable");
        boolean delayedSubject = subjectLower.contains("delivery status notification (delay)") || subjectLower.contains("delayed")
                || subjectLower.contains("delivery delayed") || subjectLower.contains("remise différée");
        if ((failedSubject || delayedSubject) && fromMailerDaemon(message)) {
            String format = lower.contains("microsoft") || message.getHeader("X-MS-Exchange-Message-Is-Ndr") != null ? "exchange" : "generic";
            return textBounce(failedSubject ? BounceReport.Kind.FAILED : BounceReport.Kind.DELAYED, format, text,
                    null, quoted, deliveredTo, subject);
        }
        return new BounceReport(BounceReport.Kind.OTHER, null, null, null, null, quoted, deliveredTo, subject);
    }

    /** A bounce is sent with an empty envelope sender, from a postmaster or mailer-daemon address. */
    private static boolean fromMailerDaemon(MimeMessage message) throws MessagingException {
        String returnPath = message.getHeader("Return-Path", ",");
        if (returnPath != null && returnPath.replaceAll("\\s", "").equals("<>")) return true;
        String from = String.valueOf(message.getHeader("From", ",")).toLowerCase(Locale.ROOT);
        return from.contains("mailer-daemon") || from.contains("postmaster") || from.contains("mail delivery");
    }

    /**
     * The recipient, status and diagnostic of a text bounce: the first address after {@code marker}
     * (or in the report's first lines), then the lines under it up to a blank line or the returned copy.
     */
    private static BounceReport textBounce(BounceReport.Kind kind, String format, String text, String marker,
                                           List<String> ids, List<String> deliveredTo, String subject) {
        String report = text;
        for (String end : List.of("------ This is a copy of the message", "--- Below this line is a copy of the message",
                "------ This is a copy of your message", "Original message headers:", "------ The body of the message is")) {
            int cut = report.indexOf(end);
            if (cut > 0) report = report.substring(0, cut);
        }
        int from = 0;
        if (marker != null) {
            int at = report.toLowerCase(Locale.ROOT).indexOf(marker);
            if (at >= 0) from = at + marker.length();
        }
        String recipient = null;
        String diagnostic = null;
        String[] lines = report.substring(from).replace("\r\n", "\n").split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            Matcher m = ADDRESS.matcher(line);
            if (line.isEmpty() || !m.find()) continue;
            // Exim/qmail: the address alone on its line (qmail: <a@b>:); Postfix: "<a@b>: host … said: 550 …".
            boolean alone = line.replaceAll("[<>:]", "").strip().equals(m.group());
            boolean postfix = line.startsWith("<") && line.contains(">:");
            if (!alone && !postfix) continue;
            recipient = m.group();
            StringBuilder d = new StringBuilder(postfix ? line.substring(line.indexOf(">:") + 2).strip() : "");
            for (int j = i + 1; j < lines.length && !lines[j].isBlank(); j++) {
                if (d.length() > 0) d.append(' ');
                d.append(lines[j].strip());
            }
            diagnostic = d.length() == 0 ? null : d.toString();
            break;
        }
        String status = statusIn(diagnostic != null ? diagnostic : report, kind);
        if (status == null) status = kind == BounceReport.Kind.FAILED ? "5.0.0" : "4.0.0";
        return new BounceReport(kind, format, recipient, status, oneLine(diagnostic), ids, deliveredTo, subject);
    }

    /** An enhanced status code in the text (5.1.1), else one made from the SMTP reply code (550 → 5.0.0). */
    private static String statusIn(String text, BounceReport.Kind kind) {
        if (text == null) return null;
        Matcher m = STATUS.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("2")) return m.group(1) + "." + m.group(2) + "." + m.group(3);
        }
        Matcher c = SMTP_CODE.matcher(text);
        if (c.find()) return c.group(1) + ".0.0";
        return null;
    }

    private static String statusOf(String field) {
        if (field == null) return null;
        Matcher m = STATUS.matcher(field);
        return m.find() ? m.group(1) + "." + m.group(2) + "." + m.group(3) : null;
    }

    // ------------------------------------------------------------------ pieces

    /** "rfc822; a@b" → "a@b"; "rfc822;<a@b>" too. */
    private static String address(String field) {
        if (field == null) return null;
        String v = field.strip();
        int semicolon = v.indexOf(';');
        if (semicolon >= 0) v = v.substring(semicolon + 1).strip();
        v = v.replaceAll("^<|>$", "").strip();
        return v.isEmpty() ? null : v;
    }

    /** "smtp; 550 5.1.1 …" → "550 5.1.1 …", on one line. */
    private static String diagnostic(String field) {
        if (field == null) return null;
        String v = field.strip();
        Matcher type = Pattern.compile("^(?i)(smtp|x-unix|x-postfix|x-local)\\s*;").matcher(v);
        if (type.find()) v = v.substring(type.end());
        return oneLine(v);
    }

    private static String oneLine(String s) {
        if (s == null) return null;
        String v = s.replaceAll("\\s+", " ").strip();
        if (v.isEmpty()) return null;
        return v.length() > 1000 ? v.substring(0, 1000) + "…" : v;
    }

    private static String field(InternetHeaders h, String name) {
        String v = h.getHeader(name, " ");
        return v == null || v.isBlank() ? null : MimeUtility.unfold(v).strip();
    }

    /** The Message-ID of a returned message or of returned headers. */
    private static List<String> returnedMessageIds(Part p) throws MessagingException, IOException {
        List<String> out = new ArrayList<>();
        String[] ids = null;
        try {
            Object content = p.getContent();
            if (content instanceof MimeMessage m) ids = m.getHeader("Message-ID");
        } catch (IOException | MessagingException e) {
            ids = null;  // undecodable returned message: its raw text is scanned below
        }
        if (ids == null) {
            byte[] raw = limited(p.getInputStream());
            InternetHeaders h = new InternetHeaders(new ByteArrayInputStream(raw));
            ids = h.getHeader("Message-ID");
        }
        if (ids != null) for (String id : ids) out.add(id.strip());
        return out;
    }

    /**
     * The ids given, then every Message-ID header line quoted anywhere in the message (a returned
     * copy pasted as text), then the bounce's own References/In-Reply-To, then any {@code <…@…>}
     * in the text: the matcher tries them in this order and keeps the first of ours.
     */
    private static List<String> withQuotedIds(List<String> ids, MimeMessage message) {
        return withQuotedIds(ids, message, "");
    }

    private static List<String> withQuotedIds(List<String> ids, MimeMessage message, String decodedText) {
        Set<String> out = new LinkedHashSet<>(ids);
        try {
            String own = message.getMessageID();
            String raw = decodedText + "\n" + rawText(message);
            Matcher m = MESSAGE_ID_HEADER.matcher(raw);
            while (m.find()) out.add(m.group(1));
            for (String name : List.of("In-Reply-To", "References")) {
                String v = message.getHeader(name, " ");
                if (v == null) continue;
                Matcher any = ANY_MESSAGE_ID.matcher(v);
                while (any.find()) out.add(any.group());
            }
            Matcher any = ANY_MESSAGE_ID.matcher(raw);
            while (any.find()) out.add(any.group());
            if (own != null) out.remove(own.strip());
        } catch (MessagingException | IOException | RuntimeException e) {
            // What was found before stays; the message is read as far as it goes.
        }
        return new ArrayList<>(out);
    }

    /** Addresses the bounce was delivered to: where a VERP envelope sender shows. */
    private static List<String> deliveredTo(MimeMessage message) throws MessagingException {
        Set<String> out = new LinkedHashSet<>();
        for (String name : List.of("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "X-Delivered-To",
                "X-Rcpt-To", "To", "Cc")) {
            String[] values = message.getHeader(name);
            if (values == null) continue;
            for (String v : values) {
                Matcher m = ADDRESS.matcher(v);
                while (m.find()) out.add(m.group());
            }
        }
        return new ArrayList<>(out);
    }

    private static ContentType contentType(Part p) {
        try {
            String ct = p.getContentType();
            return ct == null ? null : new ContentType(ct);
        } catch (MessagingException e) {
            return null;
        }
    }

    private static String decoded(String header) {
        if (header == null) return null;
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(header)).strip();
        } catch (java.io.UnsupportedEncodingException e) {
            return header.strip();
        }
    }

    /** The text a person reads: a text/plain part (or the whole text body), else an HTML part without tags. */
    private static String bodyText(Part p) throws MessagingException, IOException {
        String t = firstText(p, 0);
        return t == null ? "" : t;
    }

    private static String firstText(Part p, int depth) throws MessagingException, IOException {
        ContentType type = contentType(p);
        if (type == null || type.match("text/plain")) return text(p);
        if (type.match("text/html")) return text(p).replaceAll("(?s)<[^>]*>", " ").replace("&nbsp;", " ");
        if (type.getPrimaryType().equalsIgnoreCase("multipart") && depth < MAX_DEPTH) {
            Object content = p.getContent();
            if (content instanceof Multipart mp) {
                String html = null;
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart b = mp.getBodyPart(i);
                    ContentType bt = contentType(b);
                    if (bt != null && bt.match("text/plain")) return text(b);
                    if (html == null && bt != null && (bt.match("text/html") || bt.getPrimaryType().equalsIgnoreCase("multipart"))) {
                        html = firstText(b, depth + 1);
                    }
                }
                return html;
            }
        }
        return null;
    }

    private static String text(Part p) throws MessagingException, IOException {
        Object content;
        try {
            content = p.getContent();
        } catch (java.io.UnsupportedEncodingException e) {
            // An unknown charset: read the bytes as Latin-1 rather than give up on the bounce.
            return new String(limited(p.getInputStream()), StandardCharsets.ISO_8859_1);
        }
        if (content instanceof String s) return s.length() > MAX_SCAN ? s.substring(0, MAX_SCAN) : s;
        if (content instanceof InputStream in) return new String(limited(in), StandardCharsets.UTF_8);
        return "";
    }

    private static String rawText(MimeMessage message) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = message.getRawInputStream()) {
            out.write(limited(in));
        } catch (MessagingException e) {
            // A message built in memory has no raw stream: its written form is the same text.
            out.reset();
            message.writeTo(new LimitedStream(out, MAX_SCAN));
        }
        StringBuilder headers = new StringBuilder();
        for (java.util.Enumeration<Header> e = message.getAllHeaders(); e.hasMoreElements(); ) {
            Header h = e.nextElement();
            headers.append(h.getName()).append(": ").append(h.getValue()).append('\n');
        }
        return headers + "\n" + out.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] limited(InputStream in) throws IOException {
        try (in) {
            return in.readNBytes(MAX_SCAN);
        }
    }

    /** Stops writing quietly past a limit (a huge attachment is not scanned). */
    private static final class LimitedStream extends java.io.OutputStream {
        private final ByteArrayOutputStream out;
        private final int limit;

        LimitedStream(ByteArrayOutputStream out, int limit) {
            this.out = out;
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            if (out.size() < limit) out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int room = limit - out.size();
            if (room > 0) out.write(b, off, Math.min(room, len));
        }
    }
}
