package fr.publipostage.directory;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The French postal address rules (AFNOR NF Z 10-011 as La Poste applies them), for checking an
 * imported address and for printing it:
 *
 * <ul>
 *   <li>at most 6 lines (7 abroad: the last one is the country), each at most 38 characters, spaces
 *       included, one space between words; empty lines are left out;</li>
 *   <li>line 1 the recipient, line 2 what is inside the building (apartment, floor, "chez"), line 3 the
 *       building (entrance, residence, block), line 4 number and street, line 5 the delivery service or
 *       place (BP, TSA, CS, poste restante, lieu-dit, hamlet), line 6 postcode and city (or CEDEX code
 *       and "CITY CEDEX n"; a CEDEX written alone on a delivery line joins this line);</li>
 *   <li>lines 4 to 6 in capitals, without accents or punctuation (letters, digits and spaces only);
 *       lines 1 to 3 as written;</li>
 *   <li>France: a 5-digit postcode (no space), of a real département (01–95, or overseas 971–978 and
 *       984–988: overseas départements and collectivités are France, no country line); Monaco (980xx)
 *       is delivered the same way;</li>
 *   <li>abroad: the country alone on the last line, in capitals, written in full (French name).</li>
 * </ul>
 *
 * Nothing is ever truncated: a line too long once normalised is a {@link Problem}. Abbreviating is
 * left to the person (the norm allows it only for street names longer than 32 characters).
 */
public final class PostalRules {
    public static final int MAX_CHARS = 38;
    public static final int MAX_LINES = 6;
    public static final int MAX_LINES_ABROAD = 7;

    /** The fields of an address, as column names of the import files. */
    public static final List<String> LINE_FIELDS = List.of("address_line1", "address_line2", "address_line3", "address_line4");

    /** What one delivery line is, by its first words: decides its place (line 2 to 5) and its case. */
    public enum Kind {
        /** Line 2: apartment, floor, staircase, "chez", c/o, letter box. */
        INSIDE(2),
        /** Line 3: building, entrance, residence, block, zone. */
        BUILDING(3),
        /** Line 4: number and street. */
        STREET(4),
        /** Line 5: BP, TSA, CS, poste restante, lieu-dit, hamlet. */
        SERVICE(5),
        /** Not recognised: placed by its neighbours (before the street: line 3; after it or without one: line 5). */
        OTHER(0);

        final int line;

        Kind(int line) {
            this.line = line;
        }
    }

    /** A problem with one field of an address; {@code key} is an i18n key ({@code address.*}) taking {@code args}. */
    public record Problem(String field, String key, List<String> args) {
        static Problem of(String field, String key, String... args) {
            return new Problem(field, key, List.of(args));
        }
    }

    /**
     * The address as printed below the recipient's line(s): the delivery lines in NF Z 10-011 order,
     * the postcode-and-city line, and the country line ({@code null} in France).
     */
    public record Printed(List<String> deliveryLines, String localityLine, String countryLine) {
        /** Every printed line after the recipient's, in order. */
        public List<String> lines() {
            List<String> all = new ArrayList<>(deliveryLines);
            all.add(localityLine);
            if (countryLine != null) all.add(countryLine);
            return all;
        }

        public boolean abroad() {
            return countryLine != null;
        }

        /** Lines left for the recipient (at least one) within the norm's maximum. */
        public int recipientLinesAllowed() {
            return (abroad() ? MAX_LINES_ABROAD : MAX_LINES) - lines().size();
        }
    }

    /** A delivery line that is only the CEDEX mention ("Cedex", "CEDEX 9"): in France it belongs to the last line. */
    private static final Pattern CEDEX_ONLY = Pattern.compile("^CEDEX( [0-9]{1,3})?$");
    private static final Pattern CEDEX_WORD = Pattern.compile("(^| )CEDEX( |$)");

    private static boolean isCedexMention(PostalAddress a, String line) {
        return destination(a.country()).domestic() && CEDEX_ONLY.matcher(noPunctuation(line)).matches();
    }

    private static final Pattern SERVICE = Pattern.compile(
            "^(BP|B P|BOITE POSTALE|TSA|CS|CEDEX|CIDEX|POSTE RESTANTE|LIEU DIT|LIEUDIT|LD|HAMEAU|SECTEUR)( .*)?$");
    private static final Pattern INSIDE = Pattern.compile(
            "^(APPARTEMENT|APPART|APPT|APT|APP|ETAGE|ESCALIER|ESC|CHEZ|C O|PORTE|BOITE AUX LETTRES|BAL|CHAMBRE|LOGEMENT|LGT|BUREAU)( .*)?$"
                    + "|^[0-9]+ ?(E|EME|ER|ERE|ND|NDE) ETAGE( .*)?$|^.* ETAGE$");
    private static final Pattern BUILDING = Pattern.compile(
            "^(BATIMENT|BAT|IMMEUBLE|IMM|RESIDENCE|RES|ENTREE|ENT|TOUR|BLOC|ZI|ZA|ZAC|ZONE|PARC|VILLA|LOTISSEMENT|LOT|CITE|DOMAINE|HLM|PAVILLON|CENTRE|FOYER)( .*)?$");
    private static final Pattern STREET = Pattern.compile(
            "^[0-9]+( ?(BIS|TER|QUATER|QUINQUIES|[A-Z]))?( .*)?$"
                    + "|^(RUE|AVENUE|AV|BOULEVARD|BD|CHEMIN|CHE|ALLEE|ALL|PLACE|PL|IMPASSE|IMP|ROUTE|RTE|QUAI|COURS|CRS|SQUARE|SQ"
                    + "|PASSAGE|VOIE|SENTIER|ESPLANADE|PROMENADE|RUELLE|MONTEE|CHAUSSEE|FAUBOURG|FG|ROND POINT|RPT|TRAVERSE|VENELLE|CARREFOUR|PARVIS|MAIL)( .*)?$");

    private static final Set<String> FRANCE = Set.of("FRANCE", "FR", "FRA", "FRANCE METROPOLITAINE", "REPUBLIQUE FRANCAISE");
    /** Overseas départements and collectivités: France, postcode 97x/98x, no country line. */
    private static final Set<String> OVERSEAS = Set.of("GUADELOUPE", "GP", "MARTINIQUE", "MQ", "GUYANE", "GUYANE FRANCAISE",
            "GF", "LA REUNION", "REUNION", "ILE DE LA REUNION", "RE", "MAYOTTE", "YT", "SAINT PIERRE ET MIQUELON", "PM",
            "SAINT BARTHELEMY", "BL", "SAINT MARTIN", "MF", "WALLIS ET FUTUNA", "WF", "POLYNESIE FRANCAISE", "PF",
            "NOUVELLE CALEDONIE", "NC", "TAAF", "TERRES AUSTRALES ET ANTARCTIQUES FRANCAISES", "TF", "DOM", "DOM TOM");
    private static final Set<String> MONACO = Set.of("MONACO", "MC", "PRINCIPAUTE DE MONACO");
    /** Codes and foreign names that should print as the French name of the country. */
    private static final Map<String, String> COUNTRY_NAMES = new HashMap<>();
    /** Countries where the postcode follows the city on the last line. */
    private static final Set<String> POSTCODE_AFTER_CITY = Set.of("ROYAUME UNI", "ETATS UNIS", "CANADA", "IRLANDE",
            "AUSTRALIE");

    static {
        String[][] names = {
            {"ALLEMAGNE", "DE", "DEU", "GERMANY", "DEUTSCHLAND"}, {"BELGIQUE", "BE", "BEL", "BELGIUM", "BELGIE"},
            {"SUISSE", "CH", "CHE", "SWITZERLAND", "SCHWEIZ", "SVIZZERA"}, {"ESPAGNE", "ES", "ESP", "SPAIN", "ESPANA"},
            {"ITALIE", "IT", "ITA", "ITALY", "ITALIA"}, {"ROYAUME UNI", "GB", "GBR", "UK", "UNITED KINGDOM", "GRANDE BRETAGNE", "ANGLETERRE"},
            {"PORTUGAL", "PT", "PRT"}, {"LUXEMBOURG", "LU", "LUX"}, {"PAYS BAS", "NL", "NLD", "NETHERLANDS", "NEDERLAND", "HOLLANDE"},
            {"ETATS UNIS", "US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA", "ETATS UNIS D AMERIQUE"},
            {"CANADA", "CA", "CAN"}, {"MAROC", "MA", "MAR", "MOROCCO"}, {"ALGERIE", "DZ", "DZA", "ALGERIA"},
            {"TUNISIE", "TN", "TUN", "TUNISIA"}, {"SENEGAL", "SN", "SEN"}, {"IRLANDE", "IE", "IRL", "IRELAND"},
            {"ANDORRE", "AD", "AND", "ANDORRA"}, {"AUTRICHE", "AT", "AUT", "AUSTRIA", "OSTERREICH"},
            {"POLOGNE", "PL", "POL", "POLAND", "POLSKA"}, {"ROUMANIE", "RO", "ROU", "ROMANIA"}, {"GRECE", "GR", "GRC", "GREECE"},
            {"TURQUIE", "TR", "TUR", "TURKEY", "TURKIYE"}, {"AUSTRALIE", "AU", "AUS", "AUSTRALIA"},
            {"COTE D IVOIRE", "CI", "CIV", "IVORY COAST"}, {"MALI", "ML", "MLI"}, {"CAMEROUN", "CM", "CMR", "CAMEROON"},
            {"SUEDE", "SE", "SWE", "SWEDEN", "SVERIGE"}, {"DANEMARK", "DK", "DNK", "DENMARK", "DANMARK"},
            {"NORVEGE", "NO", "NOR", "NORWAY", "NORGE"}, {"CHINE", "CN", "CHN", "CHINA"}, {"JAPON", "JP", "JPN", "JAPAN"},
            {"BRESIL", "BR", "BRA", "BRAZIL", "BRASIL"}};
        for (String[] n : names) {
            for (String alias : n) COUNTRY_NAMES.put(alias, n[0]);
        }
    }

    private PostalRules() {
    }

    // ---- checking (import) ----------------------------------------------------------------------------

    /** Everything that stops this address from being printed by the rules; empty when it may be stored. */
    public static List<Problem> check(PostalAddress a) {
        List<Problem> problems = new ArrayList<>();
        if (a == null || a.isEmpty()) return problems;
        String[] lines = {a.line1(), a.line2(), a.line3(), a.line4()};
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] != null && lines[i].codePoints().anyMatch(Character::isISOControl)) {
                problems.add(Problem.of(LINE_FIELDS.get(i), "address.control"));
            }
        }
        for (String[] f : new String[][] {{"postcode", a.postcode()}, {"city", a.city()}, {"country", a.country()}}) {
            if (f[1] != null && f[1].codePoints().anyMatch(Character::isISOControl)) problems.add(Problem.of(f[0], "address.control"));
        }
        if (!problems.isEmpty()) return problems;
        if (a.city() == null) {
            problems.add(Problem.of("city", "address.cityMissing"));
            return problems;
        }
        Destination destination = destination(a.country());
        if (destination == Destination.UNKNOWN_CODE) {
            problems.add(Problem.of("country", "address.countryCode", a.country()));
        }
        if (destination.domestic()) checkPostcode(a, destination, problems);
        for (Placed p : place(a)) {
            String given = lines[p.field()];
            if (p.text().isEmpty()) {
                problems.add(Problem.of(LINE_FIELDS.get(p.field()), "address.lineEmpty", given));
            } else if (length(p.text()) > MAX_CHARS) {
                problems.add(Problem.of(LINE_FIELDS.get(p.field()), "address.lineTooLong", String.valueOf(length(p.text())),
                        p.text(), String.valueOf(MAX_CHARS)));
            }
        }
        if (problems.isEmpty()) {
            String locality = localityLine(a, destination);
            if (noPunctuation(a.city()).isEmpty()) {
                problems.add(Problem.of("city", "address.lineEmpty", a.city()));
            } else if (length(locality) > MAX_CHARS) {
                problems.add(Problem.of("city", "address.lineTooLong", String.valueOf(length(locality)), locality,
                        String.valueOf(MAX_CHARS)));
            }
            String country = countryLine(a.country());
            if (country != null && length(country) > MAX_CHARS) {
                problems.add(Problem.of("country", "address.lineTooLong", String.valueOf(length(country)), country,
                        String.valueOf(MAX_CHARS)));
            }
        }
        return problems;
    }

    private static void checkPostcode(PostalAddress a, Destination destination, List<Problem> problems) {
        if (a.postcode() == null) {
            problems.add(Problem.of("postcode", "address.postcodeMissing"));
            return;
        }
        String code = a.postcode().replace(" ", "").replace("\u00a0", "");
        if (code.matches("[0-9]{4}")) {
            problems.add(Problem.of("postcode", "address.postcodeLostZero", a.postcode(), "0" + code));
            return;
        }
        if (!code.matches("[0-9]{5}")) {
            problems.add(Problem.of("postcode", "address.postcodeFrance", a.postcode()));
            return;
        }
        int dept = Integer.parseInt(code.substring(0, 2));
        int three = Integer.parseInt(code.substring(0, 3));
        boolean overseas = three >= 971 && three <= 978 || three == 984 || three >= 986 && three <= 988;
        boolean monaco = three == 980;
        boolean metropolitan = dept >= 1 && dept <= 95;
        if (destination == Destination.OVERSEAS && !overseas) {
            problems.add(Problem.of("postcode", "address.postcodeOverseas", a.postcode(), a.country()));
        } else if (destination == Destination.MONACO && !monaco) {
            problems.add(Problem.of("postcode", "address.postcodeMonaco", a.postcode()));
        } else if (!metropolitan && !overseas && !monaco) {
            problems.add(Problem.of("postcode", "address.postcodeArea", a.postcode(), code.substring(0, 2)));
        }
    }

    // ---- printing ---------------------------------------------------------------------------------------

    /**
     * The printed lines of an address that passed {@link #check}: delivery lines in NF Z 10-011 order
     * (lines 4 and 5 in capitals without accents or punctuation), the postcode-and-city line, the
     * country line abroad. Null for no address.
     *
     * @throws IllegalArgumentException when the address breaks a rule (it was stored without the checks)
     */
    public static Printed print(PostalAddress a) {
        if (a == null || a.isEmpty()) return null;
        List<Problem> problems = check(a);
        if (!problems.isEmpty()) throw new IllegalArgumentException("address breaks the rules: " + problems);
        Destination destination = destination(a.country());
        return new Printed(place(a).stream().map(Placed::text).toList(), localityLine(a, destination), countryLine(a.country()));
    }

    /** A given delivery line (field 0–3) at its NF Z 10-011 line (2–5), as printed. */
    private record Placed(int field, int line, String text) {
    }

    /** The given delivery lines in printing order: by their line number, then as given. */
    private static List<Placed> place(PostalAddress a) {
        List<Placed> placed = new ArrayList<>();
        String[] lines = {a.line1(), a.line2(), a.line3(), a.line4()};
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] == null || isCedexMention(a, lines[i])) continue;
            Kind kind = kindAt(a, i);
            int line = kind == Kind.OTHER ? placeOfOther(a, i) : kind.line;
            placed.add(new Placed(i, line, printedDeliveryLine(lines[i], kind == Kind.OTHER ? kindForCase(line) : kind)));
        }
        placed.sort((x, y) -> x.line() != y.line() ? Integer.compare(x.line(), y.line()) : Integer.compare(x.field(), y.field()));
        return placed;
    }

    /**
     * The lines an admin is shown for an address (the account card): as printed, or as written when the
     * stored text breaks a rule; empty for none.
     */
    public static List<String> shown(PostalAddress a) {
        if (a == null || a.isEmpty()) return List.of();
        if (check(a).isEmpty()) return print(a).lines();
        List<String> lines = new ArrayList<>(a.deliveryLines());
        lines.add(collapse((a.postcode() == null ? "" : a.postcode()) + " " + (a.city() == null ? "" : a.city())));
        if (a.country() != null) lines.add(a.country());
        return lines;
    }

    /** The kind of the i-th given line (0–3). */
    private static Kind kindAt(PostalAddress a, int i) {
        String line = new String[] {a.line1(), a.line2(), a.line3(), a.line4()}[i];
        return classify(line);
    }

    /** An unrecognised line goes where its neighbours say: before the street, line 3; after it, or with no street, line 5. */
    private static int placeOfOther(PostalAddress a, int i) {
        String[] lines = {a.line1(), a.line2(), a.line3(), a.line4()};
        boolean streetAfter = false;
        boolean streetBefore = false;
        for (int k = 0; k < lines.length; k++) {
            if (lines[k] == null || k == i) continue;
            if (classify(lines[k]) == Kind.STREET) {
                if (k > i) streetAfter = true;
                else streetBefore = true;
            }
        }
        return streetAfter && !streetBefore ? 3 : 5;
    }

    private static Kind kindForCase(int line) {
        return line <= 3 ? Kind.BUILDING : Kind.SERVICE;
    }

    /** What a delivery line is, from its first words (accents, case and punctuation ignored). */
    public static Kind classify(String line) {
        String key = noPunctuation(line);
        if (SERVICE.matcher(key).matches()) return Kind.SERVICE;
        if (INSIDE.matcher(key).matches()) return Kind.INSIDE;
        if (BUILDING.matcher(key).matches()) return Kind.BUILDING;
        if (STREET.matcher(key).matches()) return Kind.STREET;
        return Kind.OTHER;
    }

    /** Lines 2 and 3 as written (one space between words); lines 4 and 5 in capitals without accents or punctuation. */
    static String printedDeliveryLine(String line, Kind kind) {
        if (kind == Kind.INSIDE || kind == Kind.BUILDING) return collapse(line);
        return noPunctuation(line);
    }

    /** "POSTCODE CITY" in France; abroad the destination's order, postcode as written. */
    private static String localityLine(PostalAddress a, Destination destination) {
        String city = noPunctuation(a.city());
        if (destination.domestic()) {
            String code = a.postcode() == null ? "" : a.postcode().replace(" ", "").replace("\u00a0", "");
            // A CEDEX given on a delivery line ends this line ("33076 BORDEAUX CEDEX 9"), once.
            String cedex = a.deliveryLines().stream().filter(l -> isCedexMention(a, l)).map(PostalRules::noPunctuation)
                    .findFirst().orElse("");
            if (CEDEX_WORD.matcher(city).find()) cedex = "";
            return collapse(code + " " + city + " " + cedex);
        }
        String code = a.postcode() == null ? "" : collapse(upperNoAccents(a.postcode()));
        String country = countryLine(a.country());
        if (POSTCODE_AFTER_CITY.contains(country)) return collapse(city + " " + code);
        return collapse(code + " " + city);
    }

    /** The country line: null in France (overseas and Monaco included); else the country in capitals, in French when known. */
    public static String countryLine(String country) {
        Destination d = destination(country);
        if (d.domestic()) return null;
        String key = noPunctuation(country);
        return COUNTRY_NAMES.getOrDefault(key, key);
    }

    /** True when the address needs no country line (France, its overseas territories, Monaco). */
    public static boolean domestic(String country) {
        return destination(country).domestic();
    }

    private enum Destination {
        FRANCE, OVERSEAS, MONACO, ABROAD, UNKNOWN_CODE;

        boolean domestic() {
            return this == FRANCE || this == OVERSEAS || this == MONACO;
        }
    }

    private static Destination destination(String country) {
        if (country == null || country.isBlank()) return Destination.FRANCE;
        String key = noPunctuation(country);
        if (FRANCE.contains(key)) return Destination.FRANCE;
        if (OVERSEAS.contains(key)) return Destination.OVERSEAS;
        if (MONACO.contains(key)) return Destination.MONACO;
        if (key.matches("[A-Z]{2,3}") && !COUNTRY_NAMES.containsKey(key)) return Destination.UNKNOWN_CODE;
        return Destination.ABROAD;
    }

    // ---- text ---------------------------------------------------------------------------------------

    /** One space between words, none at the ends. */
    public static String collapse(String s) {
        return s == null ? "" : s.replaceAll("[\\s\\u00a0\\u202f]+", " ").strip();
    }

    /** Capitals without accents: "Œuvray-Lévêque" → "OEUVRAY-LEVEQUE" (ligatures spelt out, ß → SS). */
    public static String upperNoAccents(String s) {
        String spelt = s.replace("Œ", "OE").replace("œ", "oe").replace("Æ", "AE").replace("æ", "ae").replace("ß", "ss")
                .replace("Ø", "O").replace("ø", "o").replace("Đ", "D").replace("đ", "d").replace("Ð", "D").replace("ð", "d")
                .replace("Ł", "L").replace("ł", "l").replace("Þ", "TH").replace("þ", "th").replace("ı", "i");
        String noMarks = Normalizer.normalize(spelt, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return noMarks.toUpperCase(Locale.ROOT);
    }

    /** Capitals, no accents, no punctuation: only letters, digits and single spaces ("l'Église-Neuve" → "L EGLISE NEUVE"). */
    public static String noPunctuation(String s) {
        if (s == null) return "";
        return collapse(upperNoAccents(s).replaceAll("[^\\p{L}\\p{N}]+", " "));
    }

    /** Characters as a reader counts them (code points). */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
