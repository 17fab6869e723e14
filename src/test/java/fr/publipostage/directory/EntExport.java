package fr.publipostage.directory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes files the way the ENT (entcore) writes its account exports, to import them unchanged.
 *
 * <p>{@link Layout#DIRECTORY} follows entcore's {@code directory/src/main/resources/view/text/export.id.txt}
 * (the Mustache template, rendered without HTML escaping, the response prefixed with a BOM): every
 * field quoted, {@code ;}, {@code Type} in French, each function and each structure name followed by
 * {@code ", "}, classes, children and parents joined with {@code ", "}, children and parents as
 * "firstName lastName", one line per account ending with LF. {@link Layout#ACCOUNTS} is the admin
 * console's "Exporter des comptes" (DESIGN.md §4), written with the same conventions; the last login
 * as the ENT formats it ({@code dd-MM-yyyy HH:mm}).
 */
public final class EntExport {
    public enum Layout { DIRECTORY, ACCOUNTS }

    /** One account as the ENT holds it. */
    public record Person(String id, String type, String lastName, String firstName, String login, String alias, String code,
                  List<String> functions, List<String> structures, List<String> classes, List<String> children,
                  List<String> parents, String lastLogin, String email, String phone) {
        public static Person of(String type, String lastName, String firstName, String login, String code) {
            return new Person("id-" + login, type, lastName, firstName, login, "", code, List.of(), List.of(), List.of(),
                    List.of(), List.of(), "", "", "");
        }

        public Person structures(String... names) {
            return new Person(id, type, lastName, firstName, login, alias, code, functions, List.of(names), classes, children,
                    parents, lastLogin, email, phone);
        }

        public Person classes(String... names) {
            return new Person(id, type, lastName, firstName, login, alias, code, functions, structures, List.of(names), children,
                    parents, lastLogin, email, phone);
        }

        public Person children(String... names) {
            return new Person(id, type, lastName, firstName, login, alias, code, functions, structures, classes, List.of(names),
                    parents, lastLogin, email, phone);
        }

        public Person parents(String... names) {
            return new Person(id, type, lastName, firstName, login, alias, code, functions, structures, classes, children,
                    List.of(names), lastLogin, email, phone);
        }

        public Person functions(String... names) {
            return new Person(id, type, lastName, firstName, login, alias, code, List.of(names), structures, classes, children,
                    parents, lastLogin, email, phone);
        }

        public Person contact(String alias, String email, String lastLogin, String phone) {
            return new Person(id, type, lastName, firstName, login, alias, code, functions, structures, classes, children,
                    parents, lastLogin, email, phone);
        }
    }

    private final Layout layout;
    private final List<Person> people = new ArrayList<>();
    private boolean bom = true;
    private String lineEnd = "\n";
    private boolean quoteAll = true;
    private char delimiter = ';';

    public EntExport(Layout layout) {
        this.layout = layout;
    }

    public EntExport add(Person... persons) {
        people.addAll(List.of(persons));
        return this;
    }

    public EntExport bom(boolean withBom) {
        this.bom = withBom;
        return this;
    }

    public EntExport lineEnd(String end) {
        this.lineEnd = end;
        return this;
    }

    /**
     * false: as a spreadsheet saves the file again (Excel's "CSV (séparateur : point-virgule)"): a cell is
     * quoted only when it holds the delimiter, a quote or a line break.
     */
    public EntExport quoteAll(boolean all) {
        this.quoteAll = all;
        return this;
    }

    /** The separator between cells (Excel's "Texte Unicode" uses a tab). */
    public EntExport delimiter(char c) {
        this.delimiter = c;
        return this;
    }

    public String text() {
        StringBuilder out = new StringBuilder(bom ? "\uFEFF" : "");
        if (layout == Layout.DIRECTORY) {
            out.append(quoted("Id", "Id Siecle", "Type", "Nom", "Prénom", "Login", "Code d'activation", "Fonction(s)",
                    "Structure(s)", "Classe(s)", "Enfant(s)", "Parent(s)")).append(lineEnd);
            for (Person p : people) {
                out.append(quoted(p.id(), "", p.type(), p.lastName(), p.firstName(), p.login(), p.code(),
                        eachFollowed(p.functions()), eachFollowed(p.structures()), joined(p.classes()), joined(p.children()),
                        joined(p.parents()))).append(lineEnd);
            }
        } else {
            out.append(quoted("Id", "Identifiant SIECLE", "Type", "Nom", "Prénom", "Identifiant", "Login personnalisé (Alias)",
                    "Code d'activation", "Fonctions", "Établissements", "Classes", "Enfants", "Parents", "Dernière connexion",
                    "Courriel", "Téléphone")).append(lineEnd);
            for (Person p : people) {
                out.append(quoted(p.id(), "", p.type(), p.lastName(), p.firstName(), p.login(), p.alias(), p.code(),
                        eachFollowed(p.functions()), eachFollowed(p.structures()), joined(p.classes()), joined(p.children()),
                        joined(p.parents()), p.lastLogin(), p.email(), p.phone())).append(lineEnd);
            }
        }
        return out.toString();
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    /** The text in another encoding; a BOM asked for is that encoding's (none for Windows-1252). */
    public byte[] bytes(java.nio.charset.Charset charset) {
        String text = text();
        if (text.startsWith("\uFEFF") && !charset.name().startsWith("UTF")) text = text.substring(1);
        return text.getBytes(charset);
    }

    /** {{#list}}{{.}}, {{/list}}: every value followed by ", ". */
    private static String eachFollowed(List<String> values) {
        StringBuilder s = new StringBuilder();
        for (String v : values) s.append(v).append(", ");
        return s.toString();
    }

    /** {{#list}}{{^-first}}, {{/-first}}{{.}}{{/list}}: values separated by ", ". */
    private static String joined(List<String> values) {
        return String.join(", ", values);
    }

    private String quoted(String... cells) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) s.append(delimiter);
            String cell = cells[i];
            boolean quote = quoteAll || cell.indexOf(delimiter) >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0;
            // entcore's template quotes without doubling inner quotes; a spreadsheet doubles them.
            if (quote) s.append('"').append(quoteAll ? cell : cell.replace("\"", "\"\"")).append('"');
            else s.append(cell);
        }
        return s.toString();
    }
}
