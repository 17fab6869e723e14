package fr.publipostage.directory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Streams staged lines into PostgreSQL with {@code COPY … FROM STDIN} (text format): one round trip
 * for the whole file, nothing kept in memory. The column order is {@code ImportMapper.xml}'s
 * {@code copyLines}.
 */
final class StagingWriter implements AutoCloseable {
    private final PGCopyOutputStream copy;
    private final Writer out;
    private long rows;

    StagingWriter(CopyManager copyManager, String copySql) throws SQLException {
        this.copy = new PGCopyOutputStream(copyManager.copyIn(copySql), 1 << 16);
        this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
    }

    void write(StagedLine l) {
        try {
            out.write(Long.toString(l.line));
            text(l.uai);
            text(l.structureName);
            text(l.structureLabel);
            array(l.structureChoices);
            text(l.text(AccountColumn.PROFILE));
            text(l.text(AccountColumn.LAST_NAME));
            text(l.text(AccountColumn.FIRST_NAME));
            text(l.login);
            text(l.text(AccountColumn.LOGIN_ALIAS));
            text(l.text(AccountColumn.ACTIVATION_CODE));
            text(l.text(AccountColumn.EMAIL));
            text(l.text(AccountColumn.LEVEL));
            array(l.list(AccountColumn.FUNCTIONS));
            LocalDate created = l.date(AccountColumn.CREATED_AT);
            text(created == null ? null : created.toString());
            text(l.text(AccountColumn.LANGUAGE));
            Object lastLogin = l.values.get(AccountColumn.LAST_LOGIN_AT);
            text(lastLogin == null ? null : lastLogin.toString());
            array(l.classes);
            array(l.childRefs);
            array(l.childKeys);
            array(l.parentRefs);
            array(l.parentKeys);
            out.write(l.replaceChildren ? "\tt" : "\tf");
            text(l.nameKey);
            text(l.nameKeyReversed);
            for (AccountColumn c : AccountColumn.ADDRESS) text(l.text(c));
            text(l.text(AccountColumn.EXTERNAL_ID));
            text(l.text(AccountColumn.SIECLE_ID));
            out.write('\n');
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long rows() {
        return rows;
    }

    private void text(String value) throws IOException {
        out.write('\t');
        if (value == null) {
            out.write("\\N");
        } else {
            escape(value);
        }
    }

    /** A text[] literal, {"a","b"}, then escaped for COPY like any text. */
    private void array(List<String> values) throws IOException {
        if (values == null) {
            text(null);
            return;
        }
        StringBuilder literal = new StringBuilder(16 * values.size() + 2).append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) literal.append(',');
            literal.append('"');
            String v = values.get(i);
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                if (c == '"' || c == '\\') literal.append('\\');
                literal.append(c);
            }
            literal.append('"');
        }
        text(literal.append('}').toString());
    }

    /** A value as COPY's text format writes it (null = \\N). */
    static String copyText(String value) {
        if (value == null) return "\\N";
        StringBuilder out = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private void escape(String value) throws IOException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.write("\\\\");
                case '\t' -> out.write("\\t");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                default -> out.write(c);
            }
        }
    }

    /** Ends the COPY: the rows are in the table. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Abandons the COPY (the transaction is rolled back anyway). */
    void cancel() {
        try {
            if (copy.isActive()) copy.cancelCopy();
        } catch (SQLException ignored) {
            // The session is rolled back and closed by the caller.
        }
    }
}
